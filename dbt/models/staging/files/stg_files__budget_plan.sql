-- The finance plan: one row per budget (cashflow = БДДС, pnl = БДР), article and month.
select
    budget,
    article,
    section,
    month as plan_month,
    round(amount, 2)::numeric(18, 2) as plan_amount,
    file as source_file
from {{ source('files', 'budget_plan') }}
