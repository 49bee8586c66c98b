-- Supplier and vendor open items (what the company owes) and advances paid at every month end and today:
-- the macro receivables_payables_as_of (macros/receivables_as_of.sql, its many-dates form) over the dates of
-- int_receivable_as_of_dates. open_amount > 0 is owed to the supplier; an advance paid is negative.
select
    r.as_of_date,
    dt.is_month_end,
    dt.is_today,
    r.item_kind,
    r.event_kind,
    r.account_code,
    r.counterparty_id,
    r.contract_id,
    r.key_order_id as supplier_order_id,
    r.document_type,
    r.document_id,
    r.line_number,
    r.document_number,
    r.document_date,
    r.due_date,
    r.original_amount::numeric(18, 2) as original_amount,
    r.open_amount::numeric(18, 2) as open_amount,
    r.days_overdue,
    r.bucket_code as bucket
from {{ receivables_payables_as_of_dates(ref('int_receivable_as_of_dates'), alias='r') }}
inner join {{ ref('int_receivable_as_of_dates') }} as dt on r.as_of_date = dt.as_of_date
