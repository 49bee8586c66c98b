-- DOMAIN.md 4.5, at every month end: inventory in the ledger (account 1200) = Σ over series of what is
-- left of their landed cost (cost events to date − cost of goods sold out of them to date)
-- + additional costs not yet allocatable to a series (goods in transit) − parts shipped beyond stock
-- with no series. To the kopeck.
with month_ends as (
    select distinct (month + interval '1 month' - interval '1 day')::date as month_end
    from {{ ref('fct_ledger_entries') }}
),

ledger as (
    select
        m.month_end,
        coalesce(sum(e.amount), 0) as inventory
    from month_ends as m
    left join {{ ref('fct_ledger_entries') }} as e on e.account_code = '1200' and m.month_end >= e.entry_date
    group by m.month_end
),

cost_events as (
    select
        m.month_end,
        coalesce(sum(e.amount), 0) as amount
    from month_ends as m
    left join {{ ref('int_series_cost_events') }} as e on m.month_end >= e.event_date
    group by m.month_end
),

in_transit as (
    select
        m.month_end,
        coalesce(sum(c.amount), 0) as amount
    from month_ends as m
    left join {{ ref('int_additional_costs') }} as c
        on
            c.cost_date::date <= m.month_end
            and not exists (
                select 1
                from {{ ref('int_cost_allocations') }} as a
                where a.cost_document_id = c.cost_document_id and a.cost_line_number = c.cost_line_number
            )
    group by m.month_end
),

sold as (
    select
        m.month_end,
        coalesce(sum(c.cost), 0) as amount
    from month_ends as m
    left join {{ ref('fct_cogs_lines') }} as c on m.month_end >= c.document_date
    group by m.month_end
)

select
    l.month_end,
    l.inventory as ledger_inventory,
    e.amount + t.amount - s.amount as series_inventory
from ledger as l
inner join cost_events as e on l.month_end = e.month_end
inner join in_transit as t on l.month_end = t.month_end
inner join sold as s on l.month_end = s.month_end
where l.inventory != e.amount + t.amount - s.amount
