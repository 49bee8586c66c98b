-- Mango call legs merged into one row per call (entry_id): a call is counted once however many legs it has.
-- Direction: outbound when the first leg starts from a manager's extension, else inbound.
-- Answered: a leg to a person (location abonent) was answered; the IVR greeting answering is no answer.
-- Waiting: from the call's start to the first answer by a person (IVR and ringing included); for a call
-- nobody answered, the whole time until the caller hung up. Talk: the answered abonent legs' seconds summed.
-- Times are company local time already (stg_files__call_legs applies var company_utc_offset_hours).
with legs as (
    select
        call_id,
        started_at,
        finished_at,
        answered_at,
        nullif(from_extension, '') as from_extension,
        nullif(from_number, '') as from_number,
        nullif(to_extension, '') as to_extension,
        nullif(to_number, '') as to_number,
        nullif(tracked_line, '') as tracked_line,
        location,
        row_number() over (partition by call_id order by started_at, source_file, source_line) as leg_order
    from {{ ref('stg_files__call_legs') }}
),

person_legs as (
    select
        call_id,
        min(answered_at) as answered_at,
        sum(extract(epoch from finished_at - answered_at)) filter (where answered_at is not null) as talk_seconds,
        (array_agg(to_extension order by answered_at, leg_order) filter (where answered_at is not null))[1]
            as answering_extension,
        (array_agg(to_extension order by leg_order) filter (where to_extension is not null))[1] as rung_extension
    from legs
    where location = 'abonent'
    group by call_id
),

calls as (
    select
        call_id,
        count(*) as legs,
        min(started_at) as started_at,
        max(finished_at) as finished_at,
        (array_agg(from_extension order by leg_order))[1] as first_from_extension,
        (array_agg(from_number order by leg_order))[1] as first_from_number,
        (array_agg(to_number order by leg_order))[1] as first_to_number,
        (array_agg(tracked_line order by leg_order))[1] as tracked_line
    from legs
    group by call_id
)

select
    c.call_id,
    c.legs,
    c.started_at,
    c.finished_at,
    case when c.first_from_extension is not null then 'outbound' else 'inbound' end as direction,
    case when c.first_from_extension is not null then c.first_to_number else c.first_from_number end
        as external_number,
    c.tracked_line,
    coalesce(c.first_from_extension, p.answering_extension, p.rung_extension) as manager_extension,
    p.answered_at is not null as is_answered,
    p.answered_at,
    (extract(epoch from coalesce(p.answered_at, c.finished_at) - c.started_at))::integer as waiting_seconds,
    coalesce(p.talk_seconds, 0)::integer as talk_seconds
from calls as c
left join person_legs as p on c.call_id = p.call_id
