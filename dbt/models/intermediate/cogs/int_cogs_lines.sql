{{ config(materialized='table') }}

-- Cost of goods sold per shipment part, customer-return line and late cost (DOMAIN.md 3.1), before
-- overhead. Rules and their hand-computed example: tests/known_answers/README.md 1.3.
--  * a shipment part costs its quantity × the series' unit cost as known on the shipment date (the
--    series' cost events dated on or before it); the part that empties a series takes exactly what is
--    left of the series' value, so a sold-out series leaves no kopeck behind;
--  * a part beyond stock with no series costs the item's last known unit cost (latest series received
--    on or before the date);
--  * a return goes back to its series at the unit cost of the shipment it returns (negative quantity
--    and cost);
--  * a cost dated after some of the series shipped is split: the shipped share (net of returns before
--    it) goes to cost of goods sold on the cost's date, charged to the series' earlier shipment parts by
--    quantity; the rest stays in stock. Closed months are not restated.
with parts as (
    select *
    from {{ ref('int_shipment_parts') }}
),

series as (
    select
        series_id,
        item_id,
        quantity,
        received_at::date as received_date
    from {{ ref('int_series') }}
),

events as (
    select *
    from {{ ref('int_series_cost_events') }}
),

-- the series' cost as known on each part's date
known_costs as (
    select
        p.part_id,
        sum(e.amount) as known_cost
    from parts as p
    inner join events as e on p.series_id = e.series_id and p.document_date >= e.event_date
    group by p.part_id
),

parts_known as (
    select
        p.*,
        s.quantity as series_quantity,
        coalesce(k.known_cost, 0) as known_cost
    from parts as p
    left join series as s on p.series_id = s.series_id
    left join known_costs as k on p.part_id = k.part_id
),

last_known as (
    select
        p.part_id,
        (
            select sum(e.amount) / nullif(s.quantity, 0)
            from series as s
            inner join events as e on s.series_id = e.series_id and e.event_date <= p.document_date
            where s.item_id = p.item_id and s.received_date <= p.document_date
            group by s.series_id, s.received_date, s.quantity
            order by s.received_date desc, s.series_id desc
            limit 1
        ) as unit_cost
    from parts as p
    where p.series_id is null
),

returns as (
    select *
    from {{ ref('int_sales_lines') }}
    where kind = 'return'
),

-- a return takes the unit cost of the shipment part it returns; failing that, its series' cost as known
-- on the return date
returned_parts as (
    select distinct on (r.document_id, r.line_number)
        r.document_id,
        r.line_number,
        p.known_cost / nullif(p.series_quantity, 0) as unit_cost
    from returns as r
    inner join parts_known as p
        on r.returned_shipment_id = p.document_id and r.series_id = p.series_id and r.item_id = p.item_id
    order by r.document_id, r.line_number, p.line_number, p.part_number
),

return_known_costs as (
    select
        r.document_id,
        r.line_number,
        sum(e.amount) / nullif(max(s.quantity), 0) as unit_cost
    from returns as r
    inner join series as s on r.series_id = s.series_id
    inner join events as e on r.series_id = e.series_id and r.document_date >= e.event_date
    group by r.document_id, r.line_number
),

return_unit_costs as (
    select
        r.document_id,
        r.line_number,
        coalesce(rp.unit_cost, rk.unit_cost) as unit_cost
    from returns as r
    left join returned_parts as rp on r.document_id = rp.document_id and r.line_number = rp.line_number
    left join return_known_costs as rk on r.document_id = rk.document_id and r.line_number = rk.line_number
),

shipment_costs as (
    select
        p.*,
        coalesce(p.known_cost / nullif(p.series_quantity, 0), lk.unit_cost, 0) as unit_cost,
        round(p.quantity * coalesce(p.known_cost / nullif(p.series_quantity, 0), lk.unit_cost, 0), 2) as rounded_cost
    from parts_known as p
    left join last_known as lk on p.part_id = lk.part_id
),

return_costs as (
    select
        r.*,
        u.unit_cost,
        -round(r.quantity * coalesce(u.unit_cost, 0), 2) as cost
    from returns as r
    inner join return_unit_costs as u on r.document_id = u.document_id and r.line_number = u.line_number
),

-- late costs: cost events of a series dated after one of its parts shipped
movements as (
    select
        series_id,
        document_date,
        quantity
    from parts
    where series_id is not null
    union all
    select
        series_id,
        document_date,
        -quantity as quantity
    from returns
    where series_id is not null
),

late_events as (
    select
        e.series_id,
        e.event_date,
        e.document_id,
        e.line_number,
        e.cost_type,
        e.amount,
        s.quantity as series_quantity,
        sum(m.quantity) as shipped_before
    from events as e
    inner join series as s on e.series_id = s.series_id
    inner join movements as m on e.series_id = m.series_id and e.event_date > m.document_date
    where e.event_kind != 'base'
    group by e.series_id, e.event_date, e.document_id, e.line_number, e.cost_type, e.amount, s.quantity
    having bool_or(m.quantity > 0)
),

late_to_cogs as (
    select
        *,
        round(amount * least(greatest(shipped_before, 0), series_quantity) / nullif(series_quantity, 0), 2)
            as to_cogs
    from late_events
),

late_charges as (
    select
        l.*,
        p.part_id,
        round(l.to_cogs * p.quantity / sum(p.quantity) over w_doc, 2) as rounded_share,
        row_number() over (
            partition by l.document_id, l.line_number, l.series_id
            order by p.quantity desc, p.document_date asc, p.document_number asc, p.line_number asc, p.part_number asc
        ) as share_rank
    from late_to_cogs as l
    inner join parts as p on l.series_id = p.series_id and l.event_date > p.document_date
    where l.to_cogs != 0
    window w_doc as (partition by l.document_id, l.line_number, l.series_id)
),

late_lines as (
    select
        c.*,
        (c.rounded_share + case
            when c.share_rank = 1
                then c.to_cogs - sum(c.rounded_share) over (
                    partition by c.document_id, c.line_number, c.series_id
                )
            else 0
        end) as cost
    from late_charges as c
),

-- the movement that empties a sold-out series (its last shipment part, or a return that brings an
-- oversold series back to zero) takes what is left of the series' value: everything the series cost up
-- to that day, less what the other movements and late costs took
series_movements as (
    select
        series_id,
        'shipment:' || part_id as movement_id,
        document_date,
        0 as kind_order,
        document_number,
        line_number,
        part_number,
        rounded_cost as cost
    from shipment_costs
    where series_id is not null
    union all
    select
        series_id,
        'return:' || document_id || ':' || line_number as movement_id,
        document_date,
        1 as kind_order,
        document_number,
        line_number,
        1 as part_number,
        cost
    from return_costs
    where series_id is not null
),

sold_out as (
    select s.series_id
    from series as s
    inner join movements as m on s.series_id = m.series_id
    group by s.series_id, s.quantity
    having s.quantity = sum(m.quantity)
),

emptying_movements as (
    select distinct on (m.series_id)
        m.series_id,
        m.movement_id,
        m.document_date
    from series_movements as m
    inner join sold_out as so on m.series_id = so.series_id
    order by
        m.series_id asc, m.document_date desc, m.kind_order desc, m.document_number desc, m.line_number desc,
        m.part_number desc
),

emptying_known as (
    select
        em.movement_id,
        sum(e.amount) as known_cost
    from emptying_movements as em
    inner join events as e on em.series_id = e.series_id and em.document_date >= e.event_date
    group by em.movement_id
),

outflows as (
    select
        series_id,
        event_date as on_date,
        cost,
        'late' as movement_id
    from late_lines
    union all
    select
        series_id,
        document_date as on_date,
        cost,
        movement_id
    from series_movements
),

emptying_outflows as (
    select
        em.movement_id,
        sum(o.cost) as cost
    from emptying_movements as em
    inner join outflows as o
        on em.series_id = o.series_id and em.document_date >= o.on_date and em.movement_id != o.movement_id
    group by em.movement_id
),

emptying_costs as (
    select
        em.movement_id,
        coalesce(k.known_cost, 0) - coalesce(o.cost, 0) as cost
    from emptying_movements as em
    left join emptying_known as k on em.movement_id = k.movement_id
    left join emptying_outflows as o on em.movement_id = o.movement_id
)

select
    'shipment:' || c.part_id as cogs_line_id,
    'shipment' as kind,
    c.document_type,
    c.document_id,
    c.document_number,
    c.document_date,
    c.month,
    c.line_number,
    c.part_number,
    c.customer_order_id,
    c.deal_id,
    c.division_id,
    c.counterparty_id,
    c.contract_id,
    c.manager_id,
    c.item_id,
    c.series_id,
    c.resolution,
    c.is_beyond_stock,
    c.part_id as charged_part_id,
    c.quantity,
    c.revenue,
    c.gross_amount,
    c.unit_cost::numeric(18, 6) as unit_cost,
    coalesce(ec.cost, c.rounded_cost)::numeric(18, 2) as cost
from shipment_costs as c
left join emptying_costs as ec on 'shipment:' || c.part_id = ec.movement_id

union all

select
    'return:' || r.document_id || ':' || r.line_number as cogs_line_id,
    'return' as kind,
    r.document_type,
    r.document_id,
    r.document_number,
    r.document_date,
    r.month,
    r.line_number,
    1 as part_number,
    r.customer_order_id,
    r.deal_id,
    r.division_id,
    r.counterparty_id,
    r.contract_id,
    r.manager_id,
    r.item_id,
    r.series_id,
    'named' as resolution,
    false as is_beyond_stock,
    null as charged_part_id,
    (-r.quantity)::numeric(18, 3) as quantity,
    (-r.net_amount)::numeric(18, 2) as revenue,
    (-r.gross_amount)::numeric(18, 2) as gross_amount,
    r.unit_cost::numeric(18, 6) as unit_cost,
    coalesce(ec.cost, r.cost)::numeric(18, 2) as cost
from return_costs as r
left join emptying_costs as ec on 'return:' || r.document_id || ':' || r.line_number = ec.movement_id

union all

select
    'late:' || l.document_id || ':' || l.line_number || ':' || l.part_id as cogs_line_id,
    'late_cost' as kind,
    d.document_type,
    l.document_id,
    d.document_number,
    l.event_date as document_date,
    date_trunc('month', l.event_date)::date as month,
    l.line_number,
    1 as part_number,
    p.customer_order_id,
    p.deal_id,
    p.division_id,
    p.counterparty_id,
    p.contract_id,
    p.manager_id,
    p.item_id,
    l.series_id,
    p.resolution,
    false as is_beyond_stock,
    l.part_id as charged_part_id,
    0::numeric(18, 3) as quantity,
    0::numeric(18, 2) as revenue,
    0::numeric(18, 2) as gross_amount,
    null::numeric(18, 6) as unit_cost,
    l.cost::numeric(18, 2) as cost
from late_lines as l
inner join parts as p on l.part_id = p.part_id
left join {{ ref('int_cost_documents') }} as d on l.document_id = d.document_id
where l.cost != 0
