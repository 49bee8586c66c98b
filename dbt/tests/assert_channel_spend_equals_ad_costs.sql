-- Spend in rpt_channel_economics equals the ad-cost source total, at every grain (the month x campaign rows,
-- the month x source rows and the whole-period source rows each add up to it), to the kopeck. Any row fails.
with source_total as (
    select coalesce(sum(spend), 0) as spend
    from {{ ref('stg_files__ad_spend') }}
),

report as (
    select
        grain,
        sum(spend) as spend
    from {{ ref('rpt_channel_economics') }}
    group by grain
),

levels as (
    select l.grain
    from (values ('month_campaign'), ('month_source'), ('source_total')) as l (grain)
)

select
    l.grain,
    r.spend as report_spend,
    s.spend as source_spend
from levels as l
cross join source_total as s
left join report as r on l.grain = r.grain
where coalesce(r.spend, 0) <> s.spend
