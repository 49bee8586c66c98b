-- Document_ВводОстатков: opening balances at the start of accounting (one document per balance kind)
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as opening_balance_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    "ТипОперации" as balance_kind,
    "Комментарий" as comment
from {{ source('onec_trade', 'document_vvod_ostatkov') }}
where "Posted" and not "DeletionMark"
