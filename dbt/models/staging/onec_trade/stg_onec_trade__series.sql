-- Catalog_СерииНоменклатуры: series (batches): one per receipt line of an item
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as series_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    nullif("Номенклатура_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    "Номер" as number,
    nullif("ДатаПроизводства", '0001-01-01 00:00:00'::timestamp) as produced_on
from {{ source('onec_trade', 'catalog_serii_nomenklatury') }}
