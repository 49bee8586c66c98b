-- Document_ЗаказКлиента: customer order: one truck / one delivery of a deal
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as customer_order_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("Договор_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    nullif("Склад_Key", '00000000-0000-0000-0000-000000000000'::uuid) as warehouse_id,
    nullif("Подразделение_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id,
    nullif("Менеджер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as manager_id,
    nullif("Валюта_Key", '00000000-0000-0000-0000-000000000000'::uuid) as currency_id,
    nullif("Интерес_Key", '00000000-0000-0000-0000-000000000000'::uuid) as deal_id,
    "Статус" as status,
    nullif("ЖелаемаяДатаОтгрузки", '0001-01-01 00:00:00'::timestamp) as promised_on,
    "ЦенаВключаетНДС" as price_includes_vat,
    round("СуммаДокумента", 2)::numeric(18, 2) as document_amount
from {{ source('onec_trade', 'document_zakaz_klienta') }}
where "Posted" and not "DeletionMark"
