-- Catalog_Склады: warehouses
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as warehouse_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    nullif("Подразделение_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id
from {{ source('onec_trade', 'catalog_sklady') }}
