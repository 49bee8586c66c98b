-- Per source and entity: the last batch and the last successful one, as of the last dbt build. The dashboard
-- computes the hours since last_success_at at query time and compares them with the freshness checks' limits.
with ranked as (
    select
        *,
        row_number() over (partition by source, entity order by batch_id desc) as recency
    from {{ source('ops', 'load_audit') }}
),

succeeded as (
    select
        source,
        entity,
        max(finished_at) as last_success_at
    from {{ source('ops', 'load_audit') }}
    where status = 'succeeded'
    group by source, entity
)

select
    r.source,
    r.entity,
    r.batch_id as last_batch_id,
    r.mode as last_mode,
    r.status as last_status,
    r.started_at as last_started_at,
    r.finished_at as last_finished_at,
    r.rows_read as last_rows_read,
    r.rows_loaded as last_rows_loaded,
    r.rows_rejected as last_rows_rejected,
    r.error as last_error,
    s.last_success_at
from ranked as r
left join succeeded as s on r.source = s.source and r.entity = s.entity
where r.recency = 1
