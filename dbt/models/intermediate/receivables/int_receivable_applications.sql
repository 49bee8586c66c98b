-- How each customer credit was applied, as of today: one row per application of a payment line, a return
-- or an opening advance to an item (shipment, refund, opening debt), and one row (credit_kind 'advance',
-- no item) per credit part still unapplied today. credit_kind: payment (a payment line paid an item open
-- when it arrived), return (a return closed its shipment's item, or other items), advance_applied (a
-- payment's advance applied on a later item's date), credit_applied (a return's excess or an opening
-- advance applied later), advance (unapplied). Payments matched to a deal's orders:
-- credit_source = 'payment' and item_customer_order_id in the deal's orders.
with events as (
    select * from {{ ref('int_receivable_events') }}
    where document_date <= current_date
),

matches as (
    select * from {{ ref('int_receivable_matches') }}
    where applied_on <= current_date
),

applied as (
    select
        m.application_kind as credit_kind,
        m.credit_source,
        m.credit_document_type,
        m.credit_document_id,
        m.credit_line_number,
        m.credit_date,
        m.item_document_type,
        m.item_document_id,
        m.item_line_number,
        m.counterparty_id,
        m.contract_id,
        m.amount,
        m.applied_on
    from matches as m
),

unapplied as (
    select
        'advance' as credit_kind,
        e.credit_source,
        e.document_type as credit_document_type,
        e.document_id as credit_document_id,
        e.line_number as credit_line_number,
        e.document_date as credit_date,
        null as item_document_type,
        null::uuid as item_document_id,
        null::integer as item_line_number,
        e.counterparty_id,
        e.contract_id,
        (e.amount - coalesce(sum(m.amount), 0))::numeric(18, 2) as amount,
        e.document_date as applied_on
    from events as e
    left join matches as m on e.document_id = m.credit_document_id and e.line_number = m.credit_line_number
    where not e.is_item
    group by
        e.credit_source,
        e.document_type,
        e.document_id,
        e.line_number,
        e.document_date,
        e.counterparty_id,
        e.contract_id,
        e.amount
    having e.amount - coalesce(sum(m.amount), 0) != 0
),

rows_ as (
    select * from applied
    union all
    select * from unapplied
)

select
    r.credit_kind,
    r.credit_source,
    r.credit_document_type,
    r.credit_document_id,
    c.document_number as credit_document_number,
    r.credit_line_number,
    r.credit_date,
    c.customer_order_id as credit_customer_order_id,
    r.item_document_type,
    r.item_document_id,
    i.document_number as item_document_number,
    r.item_line_number,
    i.customer_order_id as item_customer_order_id,
    r.counterparty_id,
    r.contract_id,
    r.amount::numeric(18, 2) as amount,
    r.applied_on
from rows_ as r
left join events as c on r.credit_document_id = c.document_id and r.credit_line_number = c.line_number
left join events as i on r.item_document_id = i.document_id and r.item_line_number = i.line_number
