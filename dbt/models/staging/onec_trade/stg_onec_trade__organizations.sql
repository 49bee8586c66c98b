-- Catalog_Организации: own legal entities of the company
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "ИНН" as inn,
    "КПП" as kpp
from {{ source('onec_trade', 'catalog_organizatsii') }}
