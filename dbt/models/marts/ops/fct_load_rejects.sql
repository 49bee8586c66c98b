-- Records the loads rejected, with their reason (ops.rejects); a table as of the last dbt build.
select
    reject_id,
    batch_id,
    source,
    entity,
    record_key,
    field,
    reason,
    left(payload::text, 2000) as payload,
    rejected_at
from {{ source('ops', 'rejects') }}
