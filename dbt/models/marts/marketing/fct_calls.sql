-- One row per call (the Mango legs merged in int_crm__calls), company local time. Channel: the tracked line
-- the client dialled (seed tracked_lines). Client: the partner whose phone has the same last 10 digits as the
-- external number. Manager: the user whose PBX extension answered (else was rung, for outbound: called).
-- Missed = an inbound call no person answered. Called back within 15 minutes = an outbound call to the same
-- number (answered or not) started no later than 15 minutes after the missed call ended.
with calls as (
    select
        *,
        right(regexp_replace(coalesce(external_number, ''), '\D', '', 'g'), 10) as phone_key,
        direction = 'inbound' and not is_answered as is_missed
    from {{ ref('int_crm__calls') }}
),

callbacks as (
    select
        m.call_id,
        min(o.started_at) as callback_started_at
    from calls as m
    inner join calls as o
        on
            o.direction = 'outbound'
            and m.phone_key = o.phone_key
            and m.started_at <= o.started_at
    where m.is_missed and m.phone_key <> ''
    group by m.call_id
),

users as (
    select distinct on (extension)
        extension,
        user_id,
        name
    from {{ ref('stg_onec_trade__users') }}
    where nullif(extension, '') is not null
    order by extension, is_deleted, is_inactive, code
)

select
    c.call_id,
    c.started_at,
    c.started_at::date as call_date,
    c.finished_at,
    c.legs,
    c.direction,
    c.external_number,
    c.tracked_line,
    t.utm_source as channel,
    t.source_title as channel_title,
    p.partner_id as client_id,
    p.partner_name as client_name,
    c.manager_extension,
    u.user_id as manager_id,
    u.name as manager_name,
    c.is_answered,
    c.answered_at,
    c.waiting_seconds,
    c.talk_seconds,
    c.is_missed,
    b.callback_started_at,
    case when c.is_missed then (extract(epoch from b.callback_started_at - c.finished_at) / 60.0)::numeric(18, 1)
    end as minutes_to_callback,
    case
        when c.is_missed then coalesce(b.callback_started_at <= c.finished_at + interval '15 minutes', false)
    end as is_called_back_within_15_min
from calls as c
left join {{ ref('tracked_lines') }} as t on c.tracked_line = t.tracked_line
left join {{ ref('int_crm__partner_contacts') }} as p
    on p.contact_kind = 'phone' and c.phone_key = p.contact_key
left join users as u on c.manager_extension = u.extension
left join callbacks as b on c.call_id = b.call_id
