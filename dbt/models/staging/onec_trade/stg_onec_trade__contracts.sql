-- Catalog_ДоговорыКонтрагентов: contracts with counterparties: payment terms and settlement currency
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    "ТипДоговора" as contract_kind,
    "Номер" as number,
    nullif("Дата", '0001-01-01 00:00:00'::timestamp) as dated,
    nullif("ВалютаВзаиморасчетов_Key", '00000000-0000-0000-0000-000000000000'::uuid) as settlement_currency_id,
    "СрокОплаты"::bigint as payment_terms_days,
    "ДетализацияРасчетов" as settlement_detail
from {{ source('onec_trade', 'catalog_dogovory_kontragentov') }}
