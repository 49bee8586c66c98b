-- Document_СписаниеБезналичныхДенежныхСредств: outgoing bank payment
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as bank_payment_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("Валюта_Key", '00000000-0000-0000-0000-000000000000'::uuid) as currency_id,
    "ХозяйственнаяОперация" as operation,
    round("СуммаДокумента", 2)::numeric(18, 2) as document_amount,
    "НазначениеПлатежа" as payment_purpose
from {{ source('onec_trade', 'document_spisanie_beznalichnykh_denezhnykh_sredstv') }}
where "Posted" and not "DeletionMark"
