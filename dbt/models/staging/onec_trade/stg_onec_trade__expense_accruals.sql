-- Document_ПрочиеРасходы: expense accrual (custom document): rent, payroll, marketing, warehouse logistics, bank
-- fees; one document per month and article, lines per division
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as expense_accrual_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Организация_Key", '00000000-0000-0000-0000-000000000000'::uuid) as organization_id,
    nullif("Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif("СтатьяРасходов_Key", '00000000-0000-0000-0000-000000000000'::uuid) as expense_article_id,
    nullif("ПериодНачисления", '0001-01-01 00:00:00'::timestamp) as accrual_month,
    round("СуммаДокумента", 2)::numeric(18, 2) as document_amount,
    "Комментарий" as comment
from {{ source('onec_trade', 'document_prochie_raskhody') }}
where "Posted" and not "DeletionMark"
