-- The settlement engine never applies more than a document holds: per item and per credit, customer and
-- supplier side, Σ applications ≤ the document's amount, and every application is positive.
with matches as (
    select
        'customer' as side,
        credit_document_id,
        credit_line_number,
        item_document_id,
        item_line_number,
        amount
    from {{ ref('int_receivable_matches') }}
    union all
    select
        'supplier' as side,
        credit_document_id,
        credit_line_number,
        item_document_id,
        item_line_number,
        amount
    from {{ ref('int_payable_matches') }}
),

events as (
    select
        'customer' as side,
        document_id,
        line_number,
        amount
    from {{ ref('int_receivable_events') }}
    union all
    select
        'supplier' as side,
        document_id,
        line_number,
        amount
    from {{ ref('int_payable_events') }}
),

applied as (
    select
        side,
        item_document_id as document_id,
        item_line_number as line_number,
        sum(amount) as applied,
        min(amount) as smallest
    from matches
    group by side, item_document_id, item_line_number
    union all
    select
        side,
        credit_document_id as document_id,
        credit_line_number as line_number,
        sum(amount) as applied,
        min(amount) as smallest
    from matches
    group by side, credit_document_id, credit_line_number
)

select
    a.side,
    a.document_id,
    a.line_number,
    a.applied,
    a.smallest,
    e.amount
from applied as a
left join events as e on a.side = e.side and a.document_id = e.document_id and a.line_number = e.line_number
where e.amount is null or a.applied > e.amount or a.smallest <= 0
