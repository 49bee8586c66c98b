-- Document_ТаможеннаяДекларацияИмпорт: import customs declaration: per-line customs value, duty rate and duty,
-- import VAT; one customs fee
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as customs_declaration_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("Договор_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    "НомерДекларации" as declaration_number,
    nullif("ТоварВМашине_Key", '00000000-0000-0000-0000-000000000000'::uuid) as truck_load_id,
    nullif("ДокументПоступления_Key", '00000000-0000-0000-0000-000000000000'::uuid) as receipt_id,
    round("ТаможенныйСбор", 2)::numeric(18, 2) as customs_fee,
    round("СуммаПошлины", 2)::numeric(18, 2) as duty_amount,
    round("СуммаНДС", 2)::numeric(18, 2) as vat_amount
from {{ source('onec_trade', 'document_tamozhennaya_deklaratsiya_import') }}
where "Posted" and not "DeletionMark"
