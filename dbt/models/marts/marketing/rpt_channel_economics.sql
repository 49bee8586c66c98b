-- Channel economics, first touch (DOMAIN.md 3.6): a deal belongs to the utm_source and utm_campaign of the lead
-- that opened it, in that lead's month. Spend is dated by the ad-cost day, leads by the lead's date, deals,
-- won deals, revenue and gross margin by the opening lead's month. Revenue and gross margin are those of won
-- deals, net of returns (marts.fct_deal_margin). Three grains (grouping sets): 'month_campaign' (the base rows,
-- they add up to every total), 'month_source' (all campaigns of a source in a month) and 'source_total' (the
-- whole period per source). CPL = spend / leads (non-target included); cost per won deal = spend / won deals;
-- ROMI % = (gross margin - spend) / spend x 100, NULL when there was no spend.
with spend as (
    select
        date_trunc('month', spend_date)::date as month,
        utm_source,
        utm_campaign,
        spend,
        0 as leads,
        0 as target_leads,
        0 as deals,
        0 as won_deals,
        0::numeric(18, 2) as revenue,
        0::numeric(18, 2) as gross_margin
    from {{ ref('stg_files__ad_spend') }}
),

leads as (
    select
        lead_month as month,
        coalesce(utm_source, '(нет)') as utm_source,
        coalesce(utm_campaign, '') as utm_campaign,
        0::numeric(18, 2) as spend,
        1 as leads,
        case when is_target then 1 else 0 end as target_leads,
        0 as deals,
        0 as won_deals,
        0::numeric(18, 2) as revenue,
        0::numeric(18, 2) as gross_margin
    from {{ ref('fct_leads') }}
),

deals as (
    select
        coalesce(lead_month, date_trunc('month', created_at)::date) as month,
        coalesce(utm_source, case when lead_id is null then '(без лида)' else '(нет)' end) as utm_source,
        coalesce(utm_campaign, '') as utm_campaign,
        0::numeric(18, 2) as spend,
        0 as leads,
        0 as target_leads,
        1 as deals,
        case when is_won then 1 else 0 end as won_deals,
        case when is_won then coalesce(net_revenue, 0) else 0 end as revenue,
        case when is_won then coalesce(gross_margin, 0) else 0 end as gross_margin
    from {{ ref('fct_deals') }}
),

facts as (
    select * from spend
    union all
    select * from leads
    union all
    select * from deals
),

totals as (
    select
        case
            when grouping(month) = 1 then 'source_total'
            when grouping(utm_campaign) = 1 then 'month_source'
            else 'month_campaign'
        end as grain,
        month,
        utm_source,
        case when grouping(utm_campaign) = 0 then utm_campaign end as utm_campaign,
        sum(spend)::numeric(18, 2) as spend,
        sum(leads) as leads,
        sum(target_leads) as target_leads,
        sum(deals) as deals,
        sum(won_deals) as won_deals,
        sum(revenue)::numeric(18, 2) as revenue,
        sum(gross_margin)::numeric(18, 2) as gross_margin
    from facts
    group by grouping sets ((month, utm_source, utm_campaign), (month, utm_source), (utm_source))
)

select
    grain,
    month,
    utm_source,
    utm_campaign,
    spend,
    leads,
    target_leads,
    deals,
    won_deals,
    revenue,
    gross_margin,
    case when leads > 0 then round(spend / leads, 2) end::numeric(18, 2) as cpl,
    case when won_deals > 0 then round(spend / won_deals, 2) end::numeric(18, 2) as cost_per_won_deal,
    case when spend > 0 then round(100 * (gross_margin - spend) / spend, 2) end::numeric(18, 2) as romi_pct
from totals
