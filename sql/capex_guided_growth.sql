-- Guided growth: a company's capex guidance for a period against its actual capex for the
-- period just before (a year against the year before, a quarter against the quarter before;
-- a quarter is never compared with a year). growth is a fraction: Amazon's 2025 guidance of
-- about 100 bn against 83 bn in 2024 is 0.205. No row when the earlier actual is unknown.
-- The guidance is the latest one stated (see capex_facts_consolidated); guidance_revised says
-- the articles stated other figures for it too (capex_guidance_revisions lists them).
-- An open-ended guidance ("over 320 bn") gives growth from its low end, is_lower_bound true
-- and growth_high null: the growth is at least that much.

with comparisons as (
    select * from int_capex_comparisons
    where comparison = 'guided_growth'
),

final as (
    select
        comparisons.company,
        comparisons.metric,
        comparisons.period_kind,
        comparisons.period,
        comparisons.value_usd as guidance_usd,
        comparisons.value_low_usd as guidance_low_usd,
        comparisons.value_high_usd as guidance_high_usd,
        comparisons.qualifier as guidance_qualifier,
        comparisons.is_lower_bound,
        comparisons.last_seen_at as guidance_last_seen_at,
        comparisons.values_disagree as guidance_revised,
        comparisons.base_period as prior_period,
        comparisons.base_value_usd as prior_actual_usd,
        comparisons.base_values_disagree as prior_actual_disputed,
        comparisons.change as growth,
        comparisons.change_low as growth_low,
        comparisons.change_high as growth_high
    from comparisons
)

select * from final
order by company, metric, period
