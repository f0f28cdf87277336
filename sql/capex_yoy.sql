-- Year-over-year growth of actual capex: each company's (or group's) actual for a fiscal year
-- or quarter against its actual for the same period a year earlier (a quarter is only ever
-- compared with the same quarter). growth is a fraction: 0.629 means +62.9%.
-- growth_low and growth_high bound it over ranges and over every figure the articles state
-- for the earlier period; values_disagree says they state more than one for either period.

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
        current_period.value_usd / prior_period.value_usd - 1 as growth,
        current_period.value_low_usd / prior_period.highest_stated_usd - 1 as growth_low,
        current_period.value_high_usd / prior_period.lowest_stated_usd - 1 as growth_high,
        current_period.qualifier,
        prior_period.qualifier as prior_qualifier,
        current_period.values_disagree or prior_period.values_disagree as values_disagree
    from actuals as current_period
    inner join actuals as prior_period
        on prior_period.company = current_period.company
        and prior_period.metric = current_period.metric
        and prior_period.period = current_period.prior_year_period
    where prior_period.lowest_stated_usd > 0
)

select * from final
order by company, metric, period
