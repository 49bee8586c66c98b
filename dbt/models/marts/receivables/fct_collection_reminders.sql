-- Collections worklist (DOMAIN.md 3.3): a shipment still open (not fully paid) 10·k days after its date
-- (k ≥ 1) gets a reminder that day, up to today, for its responsible manager (the shipment's manager,
-- else its customer order's). open_amount is what is still unpaid at the end of the reminder day;
-- paid_off_date the day the shipment was paid in full (null while it is open), so the worklist as of a
-- date leaves out what was paid after its last reminder.
with items as (
    select
        e.document_type,
        e.document_id,
        e.line_number,
        e.document_number,
        e.document_date,
        e.due_date,
        e.counterparty_id,
        e.contract_id,
        e.key_order_id,
        e.amount,
        coalesce(e.manager_id, o.manager_id) as manager_id
    from {{ ref('int_receivable_events') }} as e
    left join {{ ref('stg_onec_trade__customer_orders') }} as o on e.customer_order_id = o.customer_order_id
    where e.is_item and e.event_kind = 'shipment'
),

-- per shipment and day: what was applied up to that day
applied_to_date as (
    select
        item_document_id as document_id,
        item_line_number as line_number,
        applied_on,
        sum(sum(amount)) over (
            partition by item_document_id, item_line_number order by applied_on
        ) as applied
    from {{ ref('int_receivable_matches') }}
    group by item_document_id, item_line_number, applied_on
),

-- the day the item was paid off, if it was
closed as (
    select
        i.document_id,
        i.line_number,
        min(a.applied_on) as closed_on
    from items as i
    inner join applied_to_date as a on i.document_id = a.document_id and i.line_number = a.line_number
    where a.applied >= i.amount
    group by i.document_id, i.line_number
),

reminders as (
    select
        i.*,
        k.reminder_number,
        (i.document_date + 10 * k.reminder_number)::date as reminder_date,
        c.closed_on as paid_off_date
    from items as i
    left join closed as c on i.document_id = c.document_id and i.line_number = c.line_number
    cross join lateral generate_series(
        1, (least(coalesce(c.closed_on - 1, current_date), current_date) - i.document_date) / 10
    ) as k (reminder_number)
),

open_at as (
    select
        r.document_id,
        r.reminder_number,
        (r.amount - coalesce(max(a.applied), 0))::numeric(18, 2) as open_amount
    from reminders as r
    left join applied_to_date as a
        on r.document_id = a.document_id and r.line_number = a.line_number and r.reminder_date >= a.applied_on
    group by r.document_id, r.reminder_number, r.amount
)

select
    r.reminder_date,
    r.reminder_number,
    r.manager_id,
    u.name as manager_name,
    r.counterparty_id,
    r.contract_id,
    r.key_order_id as customer_order_id,
    r.document_type,
    r.document_id,
    r.document_number,
    r.document_date,
    r.due_date,
    r.amount as original_amount,
    o.open_amount,
    r.reminder_date - r.due_date as days_overdue,
    r.paid_off_date
from reminders as r
inner join open_at as o on r.document_id = o.document_id and r.reminder_number = o.reminder_number
left join {{ ref('stg_onec_trade__users') }} as u on r.manager_id = u.user_id
