-- Every month from the ledger's first to its last, with its last day: the statements' calendar (a month
-- without entries still has its statements).
with bounds as (
    select
        min(month) as first_month,
        max(month) as last_month
    from {{ ref('fct_ledger_entries') }}
)

select
    m::date as month,
    (m + interval '1 month' - interval '1 day')::date as month_end
from bounds
cross join lateral generate_series(first_month, last_month, interval '1 month') as m
