-- The ageing buckets tile the whole range of days overdue: no gap, no overlap.
with ordered as (
    select
        bucket_code,
        min_days_overdue,
        max_days_overdue,
        lag(max_days_overdue) over (order by min_days_overdue) as previous_max
    from {{ ref('ageing_buckets') }}
)

select bucket_code
from ordered
where
    min_days_overdue > max_days_overdue
    or (previous_max is not null and min_days_overdue != previous_max + 1)
