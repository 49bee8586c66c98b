-- Catalog_Партнеры: business partners: clients, suppliers, service vendors
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "Клиент" as is_client,
    "Поставщик" as is_supplier,
    nullif("ОсновнойМенеджер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as main_manager_id,
    "Телефон" as phone,
    "ЭлектроннаяПочта" as email,
    nullif("ДатаРегистрации", '0001-01-01 00:00:00'::timestamp) as registered_at
from {{ source('onec_trade', 'catalog_partnery') }}
