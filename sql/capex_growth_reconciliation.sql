-- Growth the articles state against growth computed from the figures the warehouse holds:
-- one row per stated growth rate. The figure for to_period has the stated basis; the figure
-- for from_period is the actual (or, when no actual is known, the same basis).
-- status: 'agrees' when the stated rate is within tolerance of the computed one (the seed's
-- "63%" against 246 / 151 - 1 = 0.629), 'disagrees' beyond it, 'unverifiable' when a figure
-- is missing. The tolerance, 1 percentage point, covers rounding: half a unit of a rate
-- stated in whole percent, plus what rounding the figures to 0.1 bn moves. A range, an
-- open-ended figure or disagreeing earlier figures agree anywhere within
-- computed_growth_low .. computed_growth_high (no upper limit when that is null).

with stated as (
    select * from stg_capex_stated_growth
),

consolidated as (
    select * from capex_facts_consolidated
),

from_figures as (
    -- the earlier period's figure: the actual, else one with the stated basis
    select
        stated.article_id,
        stated.fact_index,
        from_figure.value_usd as from_value_usd,
        from_figure.lowest_stated_usd as from_lowest_usd,
        from_figure.highest_stated_usd as from_highest_usd,
        from_figure.values_disagree as from_values_disagree
    from stated
    inner join consolidated as from_figure
        on from_figure.company = stated.company
        and from_figure.metric = stated.metric
        and from_figure.period = stated.from_period
        and from_figure.basis in ('actual', stated.basis)
    qualify row_number() over (
        partition by stated.article_id, stated.fact_index
        order by from_figure.basis = 'actual' desc
    ) = 1
),

with_figures as (
    select
        stated.*,
        to_figure.value_usd as to_value_usd,
        to_figure.value_low_usd as to_low_usd,
        to_figure.value_high_usd as to_high_usd,
        from_figures.from_value_usd,
        from_figures.from_lowest_usd,
        from_figures.from_highest_usd,
        coalesce(to_figure.values_disagree or from_figures.from_values_disagree, false)
            as figures_disagree
    from stated
    left join from_figures
        on from_figures.article_id = stated.article_id
        and from_figures.fact_index = stated.fact_index
    left join consolidated as to_figure
        on to_figure.company = stated.company
        and to_figure.metric = stated.metric
        and to_figure.basis = stated.basis
        and to_figure.period = stated.to_period
),

computed as (
    select
        *,
        to_value_usd / nullif(from_value_usd, 0) - 1 as computed_growth,
        to_low_usd / nullif(from_highest_usd, 0) - 1 as computed_growth_low,
        to_high_usd / nullif(from_lowest_usd, 0) - 1 as computed_growth_high,
        cast(0.01 as double) as tolerance
    from with_figures
),

limits as (
    select
        *,
        -- an open-ended figure ("over 320 bn") leaves one side without a limit
        coalesce(computed_growth_low - tolerance, '-infinity'::double) as lowest_agreeing,
        coalesce(computed_growth_high + tolerance, 'infinity'::double) as highest_agreeing
    from computed
),

final as (
    select
        limits.article_id,
        limits.fact_index,
        limits.company,
        limits.metric,
        limits.basis,
        limits.period_kind,
        limits.from_period,
        limits.to_period,
        limits.stated_growth,
        limits.computed_growth,
        limits.computed_growth_low,
        limits.computed_growth_high,
        limits.stated_growth - limits.computed_growth as difference,
        limits.tolerance,
        limits.from_value_usd,
        limits.to_value_usd,
        limits.figures_disagree,
        case
            when limits.computed_growth is null then 'unverifiable'
            when limits.stated_growth between limits.lowest_agreeing and limits.highest_agreeing
                then 'agrees'
            else 'disagrees'
        end as status,
        limits.sentence,
        limits.url,
        limits.published_at
    from limits
)

select * from final
order by company, metric, to_period, published_at, article_id, fact_index
