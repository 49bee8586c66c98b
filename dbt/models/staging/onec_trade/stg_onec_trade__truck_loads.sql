-- Document_ТоварВМашине: truck load (custom document, seed 003): supplier invoice lines loaded on one truck;
-- packaging and transport costs here are the invoice figures for reference, the money is in
-- ПриобретениеУслугПрочихАктивов
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as truck_load_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("Договор_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    nullif("Валюта_Key", '00000000-0000-0000-0000-000000000000'::uuid) as currency_id,
    "ГосНомер" as truck_plate,
    nullif("ДатаЗагрузки", '0001-01-01 00:00:00'::timestamp) as loaded_on,
    "Статус" as status,
    round("СтоимостьУпаковки", 2)::numeric(18, 2) as packaging_cost,
    round("СтоимостьПеревозки", 2)::numeric(18, 2) as transport_cost,
    round("СуммаДокумента", 2)::numeric(18, 2) as document_amount
from {{ source('onec_trade', 'document_tovar_v_mashine') }}
where "Posted" and not "DeletionMark"
