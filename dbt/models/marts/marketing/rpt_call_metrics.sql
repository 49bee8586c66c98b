-- Call metrics per day (company local time), manager and tracked line, from fct_calls (a call counted once
-- however many legs it had). Waiting and talk averages are over answered calls.
select
    call_date,
    manager_id,
    manager_name,
    tracked_line,
    channel,
    count(*) as calls,
    count(*) filter (where direction = 'inbound') as inbound_calls,
    count(*) filter (where direction = 'outbound') as outbound_calls,
    count(*) filter (where is_answered) as answered_calls,
    count(*) filter (where direction = 'inbound' and is_answered) as answered_inbound_calls,
    count(*) filter (where is_missed) as missed_calls,
    count(*) filter (where is_missed and not is_called_back_within_15_min) as missed_not_called_back_15_min,
    round(
        100.0 * count(*) filter (where direction = 'inbound' and is_answered)
        / nullif(count(*) filter (where direction = 'inbound'), 0),
        2
    )::numeric(18, 2) as inbound_answer_rate_pct,
    round(avg(waiting_seconds) filter (where direction = 'inbound' and is_answered), 1)::numeric(18, 1)
        as avg_waiting_seconds_answered_inbound,
    max(waiting_seconds) filter (where direction = 'inbound') as max_waiting_seconds_inbound,
    sum(talk_seconds) as talk_seconds,
    round(avg(talk_seconds) filter (where is_answered), 1)::numeric(18, 1) as avg_talk_seconds
from {{ ref('fct_calls') }}
group by call_date, manager_id, manager_name, tracked_line, channel
