-- Catalog_Контрагенты: counterparty: the legal entity of a partner
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    "ИНН" as inn,
    "КПП" as kpp,
    "ЮрФизЛицо" as legal_form
from {{ source('onec_trade', 'catalog_kontragenty') }}
