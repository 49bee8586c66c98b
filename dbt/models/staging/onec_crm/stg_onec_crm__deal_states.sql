-- Catalog_CRM_СостоянияИнтересов: deal (interest) states in funnel order; Code is the position
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as deal_state_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "Порядок"::bigint as position,
    "Завершающее" as is_final
from {{ source('onec_crm', 'catalog_crm_sostoyaniya_interesov') }}
