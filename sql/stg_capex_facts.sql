-- One row per extracted capex figure, with its period split into fiscal year and quarter,
-- the two periods it is compared with (the same period a year earlier, and the period just
-- before), and a single comparable value: the point value, or the midpoint of a range.
-- An open-ended figure ("over 80 bn", high null) keeps its low end as value_usd and is
-- flagged is_lower_bound, so growth built on it reads "at least".

with facts as (
    select * from capex_facts
),

periods as (
    select
        facts.*,
        case when length(facts.period) = 4 then 'year' else 'quarter' end as period_kind,
        cast(left(facts.period, 4) as integer) as fiscal_year,
        case
            when length(facts.period) = 6 then cast(right(facts.period, 1) as integer)
        end as fiscal_quarter
    from facts
),

final as (
    select
        periods.article_id,
        periods.fact_index,
        periods.company,
        periods.metric,
        periods.basis,
        periods.period,
        periods.period_kind,
        periods.fiscal_year,
        periods.fiscal_quarter,
        case
            when periods.period_kind = 'year' then cast(periods.fiscal_year - 1 as varchar)
            else cast(periods.fiscal_year - 1 as varchar) || 'Q' || periods.fiscal_quarter
        end as prior_year_period,
        case
            when periods.period_kind = 'year' then cast(periods.fiscal_year - 1 as varchar)
            when periods.fiscal_quarter = 1 then cast(periods.fiscal_year - 1 as varchar) || 'Q4'
            else cast(periods.fiscal_year as varchar) || 'Q' || (periods.fiscal_quarter - 1)
        end as previous_period,
        periods.value_low_usd,
        periods.value_high_usd,
        case
            when periods.value_high_usd is null or periods.value_high_usd = periods.value_low_usd
                then periods.value_low_usd
            else (periods.value_low_usd + periods.value_high_usd) / 2
        end as value_usd,
        periods.value_high_usd is null as is_lower_bound,
        periods.qualifier,
        periods.sentence,
        periods.field,
        periods.sentence_start,
        periods.sentence_end,
        periods.url,
        periods.published_at
    from periods
)

select * from final
