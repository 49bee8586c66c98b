-- Document_CRM_Интерес: deal (interest): groups the customer orders of one sale
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as deal_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    nullif("Ответственный_Key", '00000000-0000-0000-0000-000000000000'::uuid) as manager_id,
    nullif("Лид_Key", '00000000-0000-0000-0000-000000000000'::uuid) as lead_id,
    nullif("Подразделение_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id,
    nullif("Состояние_Key", '00000000-0000-0000-0000-000000000000'::uuid) as state_id,
    nullif("ДатаСостояния", '0001-01-01 00:00:00'::timestamp) as state_set_at,
    round("Выручка", 2)::numeric(18, 2) as expected_revenue,
    nullif("ПричинаПроигрыша_Key", '00000000-0000-0000-0000-000000000000'::uuid) as lost_reason_id,
    nullif("ДатаЗавершения", '0001-01-01 00:00:00'::timestamp) as closed_at
from {{ source('onec_crm', 'document_crm_interes') }}
where "Posted" and not "DeletionMark"
