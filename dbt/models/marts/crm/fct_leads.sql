-- One row per lead (Document_CRM_Лид): its channel, source, campaign and tracked line, the client it is matched
-- to, target or not (with the rejection reason) and the deal it opened.
-- Client matching (first that finds a partner): 1. the lead's e-mail equals a partner's e-mail (trimmed,
-- case-insensitive); 2. the lead's phone equals a partner's phone (last 10 digits); 3. the partner the CRM
-- linked to the lead (Партнер_Key). See int_crm__partner_contacts for ties.
with leads as (
    select
        *,
        nullif(lower(trim(email)), '') as email_key,
        nullif(right(regexp_replace(coalesce(phone, ''), '\D', '', 'g'), 10), '') as phone_key
    from {{ ref('stg_onec_crm__leads') }}
),

emails as (
    select * from {{ ref('int_crm__partner_contacts') }}
    where contact_kind = 'email'
),

phones as (
    select * from {{ ref('int_crm__partner_contacts') }}
    where contact_kind = 'phone'
    -- phone keys shorter than 10 digits never match (see int_crm__partner_contacts)
)

select
    l.lead_id,
    l.document_number as lead_number,
    l.document_date as created_at,
    l.document_date::date as lead_date,
    date_trunc('month', l.document_date)::date as lead_month,
    l.channel,
    nullif(l.utm_source, '') as utm_source,
    nullif(l.utm_campaign, '') as utm_campaign,
    nullif(l.tracked_line, '') as tracked_line,
    t.utm_source as tracked_line_source,
    l.phone,
    l.email,
    l.company_name,
    coalesce(e.partner_id, p.partner_id, l.partner_id) as client_id,
    coalesce(e.partner_name, p.partner_name, lp.name) as client_name,
    case
        when e.partner_id is not null then 'email'
        when p.partner_id is not null then 'phone'
        when l.partner_id is not null then 'crm_link'
    end as client_match,
    l.manager_id,
    u.name as manager_name,
    l.status,
    l.status <> 'Отклонен' as is_target,
    r.name as rejection_reason,
    l.deal_id
from leads as l
left join emails as e on l.email_key = e.contact_key
left join phones as p on length(l.phone_key) = 10 and l.phone_key = p.contact_key
left join {{ ref('stg_onec_trade__partners') }} as lp on l.partner_id = lp.partner_id
left join {{ ref('tracked_lines') }} as t on nullif(l.tracked_line, '') = t.tracked_line
left join {{ ref('stg_onec_trade__users') }} as u on l.manager_id = u.user_id
left join {{ ref('stg_onec_crm__reasons') }} as r on l.rejection_reason_id = r.reason_id
