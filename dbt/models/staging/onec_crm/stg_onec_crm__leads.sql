-- Document_CRM_Лид: lead: a first contact with its channel, source and campaign
-- Posted, not deletion-marked documents only: the others do not count in any report.
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as lead_id,
    "DataVersion" as data_version,
    "Number" as document_number,
    nullif("Date", '0001-01-01 00:00:00'::timestamp) as document_date,
    "КаналПривлечения" as channel,
    "ИсточникUTM" as utm_source,
    "КампанияUTM" as utm_campaign,
    "НомерЛинии" as tracked_line,
    "Телефон" as phone,
    "ЭлектроннаяПочта" as email,
    "Компания" as company_name,
    nullif("Ответственный_Key", '00000000-0000-0000-0000-000000000000'::uuid) as manager_id,
    nullif("Партнер_Key", '00000000-0000-0000-0000-000000000000'::uuid) as partner_id,
    "Статус" as status,
    nullif("ПричинаОтказа_Key", '00000000-0000-0000-0000-000000000000'::uuid) as rejection_reason_id,
    nullif("Интерес_Key", '00000000-0000-0000-0000-000000000000'::uuid) as deal_id
from {{ source('onec_crm', 'document_crm_lid') }}
where "Posted" and not "DeletionMark"
