-- The choices of the dashboards' sidebar filters, one small table read once per page: the divisions with a
-- deal or a P&L line, the managers with a deal, the lead channels. Built here so a page does not scan the
-- facts for their distinct values (hundreds of thousands of deals on a large company).
with chosen as (
    select
        'division' as filter_key,
        division_id as option_id
    from {{ ref('fct_deal_margin') }}
    union
    select
        'division' as filter_key,
        division_id as option_id
    from {{ ref('rpt_pnl') }}
    union
    select
        'manager' as filter_key,
        manager_id as option_id
    from {{ ref('fct_deals') }}
),

names as (
    select
        'division' as filter_key,
        division_id as option_id,
        name
    from {{ ref('stg_onec_trade__divisions') }}
    union all
    select
        'manager' as filter_key,
        user_id as option_id,
        name
    from {{ ref('stg_onec_trade__users') }}
)

select
    c.filter_key,
    c.option_id::text as option_value,
    coalesce(n.name, c.option_id::text) as option_label
from chosen as c
left join names as n on c.filter_key = n.filter_key and c.option_id = n.option_id
where c.option_id is not null
union all
select distinct
    'channel' as filter_key,
    channel as option_value,
    channel as option_label
from {{ ref('fct_leads') }}
where channel is not null
