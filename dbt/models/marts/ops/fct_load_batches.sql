-- Every load batch per entity from ops.load_audit for the data-engineering page (the reader
-- role reads marts only). A table, as of the last dbt build: a view would pin ops tables the tests drop.
select
    batch_id,
    source,
    entity,
    mode,
    window_start,
    window_end,
    rows_read,
    rows_loaded,
    rows_rejected,
    rows_deleted,
    lines_loaded,
    started_at,
    finished_at,
    status,
    error,
    extract(epoch from finished_at - started_at)::numeric(18, 3) as duration_seconds,
    case when rows_read > 0 then round(100.0 * rows_rejected / rows_read, 2) end::numeric(18, 2) as reject_rate_pct
from {{ source('ops', 'load_audit') }}
