-- Catalog_Номенклатура: items; groups are folders (IsFolder) and items point to them by Parent_Key
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "IsFolder" as is_group,
    nullif("Parent_Key", '00000000-0000-0000-0000-000000000000'::uuid) as parent_id,
    "Артикул" as article,
    "ЕдиницаИзмерения" as unit,
    "ВесНетто"::numeric(18, 3) as net_weight_kg,
    "ВесБрутто"::numeric(18, 3) as gross_weight_kg,
    "Объем"::numeric(18, 3) as volume_m3,
    "КодТНВЭД" as hs_code,
    "ПодЗаказ" as is_made_to_order,
    "ИспользоватьСерии" as uses_series
from {{ source('onec_trade', 'catalog_nomenklatura') }}
