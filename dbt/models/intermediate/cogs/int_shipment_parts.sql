{{ config(materialized='table') }}

-- Which series each shipment line consumed (DOMAIN.md 3.1): a line naming a series takes that series;
-- a line without one takes the same item's series in receipt order (FIFO), split into one part per
-- series. FIFO runs over what the named lines leave in each series (plus what customers returned to it),
-- matching the k-th unit demanded with the k-th unit supplied; with consistent stock this is the same
-- as consuming day by day. A part matched to no series (demand beyond all stock), or to a series that
-- arrived after the shipment, is shipped beyond stock and flagged.
--
-- The matching walks the breakpoints of both running totals once per item (no range join): at every
-- point where a demanded line or a supplied series starts, the segment up to the next point belongs to
-- the last line and the last series started at or before it.
with sales as (
    select *
    from {{ ref('int_sales_lines') }}
),

series as (
    select
        series_id,
        item_id,
        quantity,
        received_at::date as received_date,
        row_number() over (
            partition by item_id order by received_at asc, origin desc, origin_line_number asc, series_id asc
        ) as receipt_order
    from {{ ref('int_series') }}
),

named_net as (
    select
        series_id,
        sum(case when kind = 'shipment' then quantity else -quantity end) as quantity
    from sales
    where series_id is not null
    group by series_id
),

supply as (
    select
        s.item_id,
        s.series_id,
        s.receipt_order,
        s.quantity - coalesce(n.quantity, 0) as quantity,
        sum(s.quantity - coalesce(n.quantity, 0)) over w - (s.quantity - coalesce(n.quantity, 0)) as cum_start
    from series as s
    left join named_net as n on s.series_id = n.series_id
    where s.quantity - coalesce(n.quantity, 0) > 0
    window w as (partition by s.item_id order by s.receipt_order rows unbounded preceding)
),

demand as (
    select
        document_id,
        line_number,
        item_id,
        quantity,
        row_number() over w_order as demand_order,
        sum(quantity) over w_sum - quantity as cum_start
    from sales
    where kind = 'shipment' and series_id is null and quantity > 0
    window
        w_order as (partition by item_id order by document_date, document_number, line_number),
        w_sum as (
            partition by item_id order by document_date, document_number, line_number rows unbounded preceding
        )
),

-- every start point, plus the end of all supply (beyond it: no series) and of all demand (stop)
breakpoints as (
    select
        item_id,
        cum_start as pos,
        demand_order,
        null::bigint as receipt_order
    from demand
    union all
    select
        item_id,
        cum_start as pos,
        null::bigint as demand_order,
        receipt_order
    from supply
    union all
    select
        item_id,
        max(cum_start + quantity) as pos,
        null::bigint as demand_order,
        max(receipt_order) + 1 as receipt_order
    from supply
    group by item_id
    union all
    select
        item_id,
        max(cum_start + quantity) as pos,
        max(demand_order) + 1 as demand_order,
        null::bigint as receipt_order
    from demand
    group by item_id
),

segments as (
    select
        item_id,
        pos,
        lead(pos) over w - pos as length,
        max(demand_order) over w as demand_order,
        max(receipt_order) over w as receipt_order
    from breakpoints
    window w as (partition by item_id order by pos rows unbounded preceding)
),

fifo_parts as (
    select
        d.document_id,
        d.line_number,
        su.series_id,
        sum(g.length) as quantity,
        min(g.pos) as first_pos
    from segments as g
    inner join demand as d on g.item_id = d.item_id and g.demand_order = d.demand_order
    left join supply as su on g.item_id = su.item_id and g.receipt_order = su.receipt_order
    where g.length > 0
    group by d.document_id, d.line_number, su.series_id
),

parts as (
    select
        document_id,
        line_number,
        series_id,
        quantity,
        'named' as resolution,
        1::bigint as part_number
    from sales
    where kind = 'shipment' and series_id is not null
    union all
    select
        document_id,
        line_number,
        series_id,
        quantity,
        case when series_id is null then 'beyond_stock' else 'fifo' end as resolution,
        row_number() over (partition by document_id, line_number order by first_pos) as part_number
    from fifo_parts
    union all
    -- a FIFO line with zero or negative quantity consumes nothing but still carries its revenue
    select
        document_id,
        line_number,
        null::uuid as series_id,
        quantity,
        'fifo' as resolution,
        1::bigint as part_number
    from sales
    where kind = 'shipment' and series_id is null and quantity <= 0
),

with_running as (
    select
        p.*,
        sum(p.quantity) over (
            partition by p.document_id, p.line_number order by p.part_number rows unbounded preceding
        ) as cum_quantity
    from parts as p
)

select
    l.document_id || ':' || l.line_number || ':' || p.part_number as part_id,
    l.document_type,
    l.document_id,
    l.document_number,
    l.document_date,
    l.month,
    l.line_number,
    p.part_number,
    l.customer_order_id,
    l.deal_id,
    l.counterparty_id,
    l.contract_id,
    l.division_id,
    l.manager_id,
    l.item_id,
    p.series_id,
    p.resolution,
    (p.series_id is null or s.received_date > l.document_date) as is_beyond_stock,
    p.quantity::numeric(18, 3) as quantity,
    -- the line's revenue split by quantity so that the parts add up to it exactly
    (case
        when l.quantity = 0 then l.net_amount else
            round(l.net_amount * p.cum_quantity / l.quantity, 2)
            - round(l.net_amount * (p.cum_quantity - p.quantity) / l.quantity, 2)
    end)::numeric(18, 2) as revenue,
    (case
        when l.quantity = 0 then l.gross_amount else
            round(l.gross_amount * p.cum_quantity / l.quantity, 2)
            - round(l.gross_amount * (p.cum_quantity - p.quantity) / l.quantity, 2)
    end)::numeric(18, 2) as gross_amount
from with_running as p
inner join sales as l on p.document_id = l.document_id and p.line_number = l.line_number and l.kind = 'shipment'
left join series as s on p.series_id = s.series_id
