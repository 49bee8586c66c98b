-- Catalog_Валюты: currencies; Code is the ISO numeric code, Description the ISO letter code
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as currency_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "НаименованиеПолное" as full_name
from {{ source('onec_trade', 'catalog_valyuty') }}
