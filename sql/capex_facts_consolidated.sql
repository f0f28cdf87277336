-- One row per (company, metric, basis, period): the value the articles state, how many
-- articles state it, when it was first and last seen. When articles disagree (values more
-- than 1% apart) every distinct value is kept side by side and the row is flagged; the
-- headline value is the one most articles state (the latest on a tie), never an average.

with facts as (
    select * from stg_capex_facts
),

distinct_values as (
    select
        company,
        metric,
        basis,
        period,
        period_kind,
        fiscal_year,
        fiscal_quarter,
        value_low_usd,
        value_high_usd,
        value_usd,
        any_value(qualifier) as qualifier,
        count(distinct article_id) as article_count,
        min(published_at) as first_seen_at,
        max(published_at) as last_seen_at
    from facts
    group by all
),

ranked as (
    select
        *,
        row_number() over (
            partition by company, metric, basis, period
            order by article_count desc, last_seen_at desc, value_usd desc
        ) as value_rank
    from distinct_values
),

per_key as (
    select
        company,
        metric,
        basis,
        period,
        any_value(period_kind) as period_kind,
        any_value(fiscal_year) as fiscal_year,
        any_value(fiscal_quarter) as fiscal_quarter,
        sum(article_count) as statement_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        count(*) as distinct_value_count,
        max(value_usd) > min(value_usd) * 1.01 as values_disagree,
        list(
            {'value_low_usd': value_low_usd, 'value_high_usd': value_high_usd,
             'article_count': article_count}
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
        per_key.period_kind,
        per_key.fiscal_year,
        per_key.fiscal_quarter,
        headline.value_usd,
        headline.value_low_usd,
        headline.value_high_usd,
        headline.qualifier,
        headline.article_count,
        per_key.statement_count,
        per_key.first_seen_at,
        per_key.last_seen_at,
        per_key.distinct_value_count,
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
