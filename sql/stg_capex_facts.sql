-- One row per extracted capex figure, with its period split into fiscal year and quarter and
-- a single comparable value: the point value, or the midpoint of a range.
-- An open-ended figure ("over 80 bn", high null) keeps its low end as value_usd and is
-- flagged is_lower_bound, so growth built on it reads "at least". superseded marks a guidance
-- figure the same sentence says was replaced ("raised from 75 to 85 bn": the 75).

with facts as (
    select * from capex_facts
),

final as (
    select
        facts.article_id,
        facts.fact_index,
        facts.company,
        facts.metric,
        facts.basis,
        facts.period,
        case when length(facts.period) = 4 then 'year' else 'quarter' end as period_kind,
        cast(left(facts.period, 4) as integer) as fiscal_year,
        case
            when length(facts.period) = 6 then cast(right(facts.period, 1) as integer)
        end as fiscal_quarter,
        facts.value_low_usd,
        facts.value_high_usd,
        case
            when facts.value_high_usd is null or facts.value_high_usd = facts.value_low_usd
                then facts.value_low_usd
            else (facts.value_low_usd + facts.value_high_usd) / 2
        end as value_usd,
        facts.value_high_usd is null as is_lower_bound,
        facts.qualifier,
        facts.superseded,
        facts.sentence,
        facts.field,
        facts.sentence_start,
        facts.sentence_end,
        facts.url,
        facts.published_at
    from facts
)

select * from final
