-- DOMAIN.md 4.5, at every month end: inventory in the ledger (account 1200) = Σ over series of what is
-- left of their landed cost (cost events to date − cost of goods sold out of them to date)
-- + additional costs not yet allocatable to a series (goods in transit) − parts shipped beyond stock
-- with no series. To the kopeck. Each side is summed by month, then carried forward: month end M holds
-- everything dated on or before it. An incremental build checks the months it rewrote: it ties the
-- movements from the first of them on, the months before having tied when they were written (the
-- nightly full build ties every month end from the beginning).
{%- set from_month = rebuilt_from('fct_ledger_entries') %}
with month_ends as (
    select distinct
        month,
        (month + interval '1 month' - interval '1 day')::date as month_end
    from {{ ref('fct_ledger_entries') }}
    where month >= {{ from_month }}
),

dated as (
    select
        month,
        amount as inventory,
        0 as series_inventory
    from {{ ref('fct_ledger_entries') }}
    where account_code = '1200' and month >= {{ from_month }}
    union all
    select
        date_trunc('month', event_date)::date as month,
        0 as inventory,
        amount as series_inventory
    from {{ ref('int_series_cost_events') }}
    where event_date >= {{ from_month }}
    union all
    -- goods in transit: additional costs with no series to go to yet
    select
        date_trunc('month', c.cost_date)::date as month,
        0 as inventory,
        c.amount as series_inventory
    from {{ ref('int_additional_costs') }} as c
    where
        c.cost_date >= {{ from_month }}
        and not exists (
            select 1
            from {{ ref('int_cost_allocations') }} as a
            where a.cost_document_id = c.cost_document_id and a.cost_line_number = c.cost_line_number
        )
    union all
    select
        date_trunc('month', document_date)::date as month,
        0 as inventory,
        -cost as series_inventory
    from {{ ref('fct_cogs_lines') }}
    where month >= {{ from_month }}
),

movements as (
    select
        month,
        sum(inventory) as inventory,
        sum(series_inventory) as series_inventory
    from dated
    group by month
),

to_date as (
    select
        m.month_end,
        coalesce(sum(mv.inventory), 0) as ledger_inventory,
        coalesce(sum(mv.series_inventory), 0) as series_inventory
    from month_ends as m
    left join movements as mv on m.month >= mv.month
    group by m.month_end
)

select
    month_end,
    ledger_inventory,
    series_inventory
from to_date
where ledger_inventory != series_inventory
