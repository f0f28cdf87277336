-- Year-over-year growth of actual capex: each company's (or group's) actual for a fiscal year
-- or quarter against its actual for the same period a year earlier. growth is a fraction:
-- 0.629 means +62.9%.

with actuals as (
    select * from capex_facts_consolidated
    where basis = 'actual'
),

final as (
    select
        current_period.company,
        current_period.metric,
        current_period.period_kind,
        current_period.period,
        prior_period.period as prior_period,
        current_period.value_usd,
        prior_period.value_usd as prior_value_usd,
        current_period.value_usd / prior_period.value_usd - 1 as growth
    from actuals as current_period
    inner join actuals as prior_period
        on prior_period.company = current_period.company
        and prior_period.metric = current_period.metric
        and prior_period.period_kind = current_period.period_kind
        and prior_period.fiscal_year = current_period.fiscal_year - 1
        and prior_period.fiscal_quarter is not distinct from current_period.fiscal_quarter
    where prior_period.value_usd > 0
)

select * from final
order by company, metric, period
