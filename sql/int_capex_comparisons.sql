-- The comparisons of one basis against another, computed once for the marts that report
-- them: a consolidated figure against the base figure its rule names, for the same company
-- and metric (capex_yoy, actual against actual, keeps its own simpler join).
--   guided_growth     guidance against the actual for the period just before
--   versus_consensus  an actual or guidance against the consensus for the same period
-- A quarter is only compared with a quarter. change is a fraction (0.629 means +62.9%).
-- change_low and change_high bound it over the figure's range and every base figure the
-- articles state (ranges, open ends, disagreeing sources); change_high is null when the
-- figure is open-ended ("over 320 bn": the change is at least change_low).

with consolidated as (
    select * from capex_facts_consolidated
),

rules as (
    select *
    from (
        values
            ('guided_growth', 'guidance', 'actual', 'just_before'),
            ('versus_consensus', 'actual', 'consensus', 'same'),
            ('versus_consensus', 'guidance', 'consensus', 'same')
    ) as comparison_rules (comparison, basis, base_basis, base_period_rule)
),

pairs as (
    select
        rules.comparison,
        figure.company,
        figure.metric,
        figure.basis,
        figure.period_kind,
        figure.period,
        figure.value_usd,
        figure.value_low_usd,
        figure.value_high_usd,
        figure.qualifier,
        figure.is_lower_bound,
        figure.last_seen_at,
        figure.values_disagree,
        base.basis as base_basis,
        base.period as base_period,
        base.value_usd as base_value_usd,
        base.lowest_stated_usd as base_lowest_usd,
        base.highest_stated_usd as base_highest_usd,
        base.qualifier as base_qualifier,
        base.distinct_value_count as base_value_count,
        base.values_disagree as base_values_disagree
    from rules
    inner join consolidated as figure
        on figure.basis = rules.basis
    inner join consolidated as base
        on base.company = figure.company
        and base.metric = figure.metric
        and base.basis = rules.base_basis
        and base.period = case rules.base_period_rule
            when 'just_before' then figure.previous_period
            else figure.period
        end
    where base.lowest_stated_usd > 0
),

final as (
    select
        *,
        value_usd / base_value_usd - 1 as change,
        value_low_usd / base_highest_usd - 1 as change_low,
        value_high_usd / base_lowest_usd - 1 as change_high
    from pairs
)

select * from final
