-- Catalog_Подразделения: divisions (cost and profit centres)
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    nullif("Parent_Key", '00000000-0000-0000-0000-000000000000'::uuid) as parent_id
from {{ source('onec_trade', 'catalog_podrazdeleniya') }}
