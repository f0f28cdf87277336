-- One row per capex growth rate an article states ("up 63% on 2023"), with the two periods
-- it compares and the rate as a fraction (stated_growth 0.63), ready to be checked against
-- the growth the warehouse computes from the figures themselves.

with stated as (
    select * from capex_stated_growth
),

final as (
    select
        stated.article_id,
        stated.fact_index,
        stated.company,
        stated.metric,
        stated.basis,
        stated.from_period,
        stated.to_period,
        case when length(stated.to_period) = 4 then 'year' else 'quarter' end as period_kind,
        stated.growth_pct,
        stated.growth_pct / 100 as stated_growth,
        stated.sentence,
        stated.url,
        stated.published_at
    from stated
)

select * from final
