-- Mango call-log legs in company local time; answer 0 means the leg was not answered.
select
    leg_id,
    entry_id as call_id,
    records as recording_id,
    to_timestamp(start) at time zone 'UTC' + interval '{{ var("company_utc_offset_hours") }} hours' as started_at,
    to_timestamp(finish) at time zone 'UTC' + interval '{{ var("company_utc_offset_hours") }} hours' as finished_at,
    case
        when answer > 0
            then to_timestamp(answer) at time zone 'UTC' + interval '{{ var("company_utc_offset_hours") }} hours'
    end as answered_at,
    from_extension,
    from_number,
    to_extension,
    to_number,
    disconnect_reason,
    line_number as tracked_line,
    location,
    file as source_file,
    line_no as source_line
from {{ source('files', 'mango_calls') }}
