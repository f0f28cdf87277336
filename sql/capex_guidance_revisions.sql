-- How each company's capex guidance for a period moved over time: one row per statement of
-- it, in article publication order (and, within an article, the replaced outlook first, then
-- text order, so "raised from 75 to 85 bn" and "cut to 30 bn from 34 bn" both read old then
-- new). revision_number counts the steps; change_usd and
-- relative_change (a fraction) compare with the statement before; direction is initial,
-- raised, lowered or reiterated (within 1%). A value an article restates right after
-- itself counts once.

with facts as (
    select * from stg_capex_facts
    where basis = 'guidance'
),

in_order as (
    select
        *,
        lag(article_id) over statements as previous_article_id,
        lag(value_usd) over statements as previous_value_usd
    from facts
    window statements as (
        partition by company, metric, period
        order by published_at, article_id, superseded desc, fact_index
    )
),

statements as (
    select * from in_order
    where not (
        previous_article_id is not distinct from article_id
        and previous_value_usd is not distinct from value_usd
    )
),

steps as (
    select
        *,
        row_number() over statements as revision_number,
        lag(value_usd) over statements as prior_guidance_usd
    from statements
    window statements as (
        partition by company, metric, period
        order by published_at, article_id, superseded desc, fact_index
    )
),

final as (
    select
        steps.company,
        steps.metric,
        steps.period_kind,
        steps.period,
        steps.revision_number,
        steps.published_at,
        steps.article_id,
        steps.fact_index,
        steps.value_usd as guidance_usd,
        steps.value_low_usd as guidance_low_usd,
        steps.value_high_usd as guidance_high_usd,
        steps.qualifier,
        steps.prior_guidance_usd,
        steps.value_usd - steps.prior_guidance_usd as change_usd,
        steps.value_usd / steps.prior_guidance_usd - 1 as relative_change,
        case
            when steps.prior_guidance_usd is null then 'initial'
            when abs(steps.value_usd - steps.prior_guidance_usd)
                <= 0.01 * steps.prior_guidance_usd then 'reiterated'
            when steps.value_usd > steps.prior_guidance_usd then 'raised'
            else 'lowered'
        end as direction,
        steps.sentence,
        steps.url
    from steps
)

select * from final
order by company, metric, period, revision_number
