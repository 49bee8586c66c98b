-- The dates the open-items marts are kept for: every month end from the month of the first settlement
-- document (customer or supplier) up to today, and today itself (current_date).
with first_document as (
    select min(document_date) as first_date
    from (
        select document_date from {{ ref('int_receivable_events') }}
        union all
        select document_date from {{ ref('int_payable_events') }}
    ) as e
),

month_ends as (
    select (m.month_start + interval '1 month' - interval '1 day')::date as as_of_date
    from generate_series(
        date_trunc('month', coalesce((select first_document.first_date from first_document), current_date)),
        date_trunc('month', current_date),
        interval '1 month'
    ) as m (month_start)
),

dates as (
    select as_of_date
    from month_ends
    where as_of_date <= current_date
    union
    select current_date as as_of_date
)

select
    as_of_date,
    as_of_date = (date_trunc('month', as_of_date) + interval '1 month' - interval '1 day')::date as is_month_end,
    as_of_date = current_date as is_today
from dates
