-- Document_ПриобретениеУслугПрочихАктивов: purchased services: additional (landed) costs attached to a receipt,
-- truck or customs declaration, and direct deal costs attached to a customer order
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as service_purchase_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("Договор_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    nullif("Валюта_Key", '00000000-0000-0000-0000-000000000000'::uuid) as currency_id,
    round("СуммаДокумента", 2)::numeric(18, 2) as document_amount,
    "Комментарий" as comment
from {{ source('onec_trade', 'document_priobretenie_uslug_prochikh_aktivov') }}
where "Posted" and not "DeletionMark"
