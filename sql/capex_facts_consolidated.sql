-- One row per (company, metric, basis, period): the value the articles state, how many
-- articles state it, when it was first and last seen. When articles disagree (values more
-- than 1% apart) every distinct value is kept side by side in stated_values and the row is
-- flagged; nothing is ever averaged away. lowest_stated_usd and highest_stated_usd span every
-- figure stated (highest null when one is open-ended).
-- The headline value: for guidance, the latest statement (a company's newer plan supersedes
-- its older one, and within an article the figure a revision replaced never wins); for actuals
-- and consensus, the value most articles state, the latest on a tie.
-- is_lower_bound marks an open-ended headline ("over 320 bn"): value_usd is its low end.
-- prior_year_period and previous_period name the periods the marts compare it with.

with facts as (
    select * from stg_capex_facts
),

distinct_values as (
    select
        company,
        metric,
        basis,
        period,
        value_low_usd,
        value_high_usd,
        any_value(value_usd) as value_usd,
        any_value(is_lower_bound) as is_lower_bound,
        any_value(period_kind) as period_kind,
        any_value(fiscal_year) as fiscal_year,
        any_value(fiscal_quarter) as fiscal_quarter,
        -- the last statement of this value: by publication time, then position in the text
        max({
            'published_at': published_at,
            'article_id': article_id,
            'current': not superseded,
            'fact_index': fact_index
        }) as last_statement,
        arg_max(
            qualifier,
            {
                'published_at': published_at,
                'article_id': article_id,
                'current': not superseded,
                'fact_index': fact_index
            }
        ) as qualifier,
        count(distinct article_id) as article_count,
        min(published_at) as first_seen_at,
        max(published_at) as last_seen_at
    from facts
    group by company, metric, basis, period, value_low_usd, value_high_usd
),

ranked as (
    select
        *,
        row_number() over (
            partition by company, metric, basis, period
            order by
                case when basis = 'guidance' then last_statement end desc nulls last,
                article_count desc,
                last_statement desc
        ) as value_rank
    from distinct_values
),

per_key as (
    select
        company,
        metric,
        basis,
        period,
        cast(sum(article_count) as bigint) as statement_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as distinct_value_count,
        min(value_low_usd) as lowest_stated_usd,
        case when bool_and(value_high_usd is not null) then max(value_high_usd) end
            as highest_stated_usd,
        max(value_usd) > min(value_usd) * 1.01 as values_disagree,
        list(
            {
                'value_low_usd': value_low_usd,
                'value_high_usd': value_high_usd,
                'value_usd': value_usd,
                'article_count': article_count
            }
            order by value_rank
        ) as stated_values
    from ranked
    group by company, metric, basis, period
),

final as (
    select
        per_key.company,
        per_key.metric,
        per_key.basis,
        per_key.period,
        headline.period_kind,
        headline.fiscal_year,
        headline.fiscal_quarter,
        case
            when headline.period_kind = 'year' then cast(headline.fiscal_year - 1 as varchar)
            else cast(headline.fiscal_year - 1 as varchar) || 'Q' || headline.fiscal_quarter
        end as prior_year_period,
        case
            when headline.period_kind = 'year' then cast(headline.fiscal_year - 1 as varchar)
            when headline.fiscal_quarter = 1 then cast(headline.fiscal_year - 1 as varchar) || 'Q4'
            else cast(headline.fiscal_year as varchar) || 'Q' || (headline.fiscal_quarter - 1)
        end as previous_period,
        headline.value_usd,
        headline.value_low_usd,
        headline.value_high_usd,
        headline.is_lower_bound,
        headline.qualifier,
        headline.article_count,
        per_key.statement_count,
        per_key.first_seen_at,
        per_key.last_seen_at,
        per_key.distinct_value_count,
        per_key.lowest_stated_usd,
        per_key.highest_stated_usd,
        per_key.values_disagree,
        per_key.stated_values
    from per_key
    inner join ranked as headline
        on headline.company = per_key.company
        and headline.metric = per_key.metric
        and headline.basis = per_key.basis
        and headline.period = per_key.period
        and headline.value_rank = 1
)

select * from final
