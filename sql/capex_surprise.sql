-- Surprise: a company's capex against what the market expected for the same period.
-- basis 'actual' is the reported figure against consensus (Amazon 2024Q4: 27.8 bn against
-- 22.3 bn expected, surprise +0.247); basis 'guidance' is the company's plan against the
-- expectation for that plan (Alphabet's 75 bn for 2025 against 58.8 bn).
-- Consensus often comes from several sources that disagree: surprise uses the headline
-- consensus (the one most articles state), and surprise_low / surprise_high run from the
-- highest to the lowest expectation stated, so the spread stays visible.
-- versus_consensus says above, below or in line (within 1%).

with comparisons as (
    select * from int_capex_comparisons
    where comparison = 'versus_consensus'
),

final as (
    select
        comparisons.company,
        comparisons.metric,
        comparisons.basis,
        comparisons.period_kind,
        comparisons.period,
        comparisons.value_usd,
        comparisons.qualifier,
        comparisons.base_value_usd as consensus_usd,
        comparisons.base_lowest_usd as consensus_lowest_usd,
        comparisons.base_highest_usd as consensus_highest_usd,
        comparisons.base_value_count as consensus_value_count,
        comparisons.base_values_disagree as consensus_values_disagree,
        comparisons.change as surprise,
        comparisons.change_low as surprise_low,
        comparisons.change_high as surprise_high,
        case
            when abs(comparisons.change) <= 0.01 then 'in line'
            when comparisons.change > 0 then 'above'
            else 'below'
        end as versus_consensus
    from comparisons
)

select * from final
order by company, metric, period, basis
