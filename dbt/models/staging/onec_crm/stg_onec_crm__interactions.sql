-- Document_CRM_Взаимодействие: interaction with a client: call, e-mail, meeting, reminder
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as interaction_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    "ВидВзаимодействия" as interaction_kind,
    "Входящее" as is_inbound,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    nullif("Интерес_Key", '00000000-0000-0000-0000-000000000000'::uuid) as deal_id,
    nullif("Ответственный_Key", '00000000-0000-0000-0000-000000000000'::uuid) as manager_id,
    "Телефон" as phone,
    "Тема" as subject,
    "Состояние" as interaction_state
from {{ source('onec_crm', 'document_crm_vzaimodeystvie') }}
where "Posted" and not "DeletionMark"
