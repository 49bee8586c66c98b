-- Catalog_Пользователи: users: managers and staff
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as user_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    nullif("Подразделение_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id,
    "ВнутреннийНомер" as extension,
    "Телефон" as phone,
    "Недействителен" as is_inactive
from {{ source('onec_trade', 'catalog_polzovateli') }}
