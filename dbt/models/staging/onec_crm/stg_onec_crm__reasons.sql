-- Catalog_CRM_ПричиныОтказа: reasons a lead is rejected as non-target or a deal is lost
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as reason_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "ВидПричины" as reason_kind
from {{ source('onec_crm', 'catalog_crm_prichiny_otkaza') }}
