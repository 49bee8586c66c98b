{{ config(indexes=[{'columns': ['document_date']}]) }}

-- Margin by day, division, manager and item group (DOMAIN.md 3.4: "also per … item group, division,
-- month"), summed from the cost-of-goods-sold lines: shipments, returns (negative) and late costs on their
-- own dates. The director's item-group table reads this instead of millions of lines: a day's thousands of
-- lines become a few hundred rows, and any period of days sums exactly. An item's group is the folder it
-- sits in (Parent_Key); items outside a folder have none.
with lines as (
    select
        c.document_date,
        c.month,
        c.division_id,
        c.manager_id,
        g.item_id as item_group_id,
        g.name as item_group,
        c.revenue,
        c.cost,
        c.overhead
    from {{ ref('fct_cogs_lines') }} as c
    left join {{ ref('stg_onec_trade__items') }} as i on c.item_id = i.item_id
    left join {{ ref('stg_onec_trade__items') }} as g on i.parent_id = g.item_id and g.is_group
)

select
    document_date,
    month,
    division_id,
    manager_id,
    item_group_id,
    item_group,
    count(*) as cogs_lines,
    sum(revenue)::numeric(18, 2) as net_revenue,
    sum(cost)::numeric(18, 2) as cogs,
    sum(revenue - cost)::numeric(18, 2) as gross_margin,
    sum(overhead)::numeric(18, 2) as overhead,
    sum(revenue - cost - overhead)::numeric(18, 2) as margin_after_overhead
from lines
group by document_date, month, division_id, manager_id, item_group_id, item_group
