-- One row per visit of a deal to a state, from the state history register
-- (InformationRegister_CRM_ИсторияСостоянийИнтересов). A record that repeats the state the deal is already in
-- is no new visit; a state entered again after another one is a new visit (visit_number 2, 3, ...).
-- A visit ends when the next one starts; the deal's last visit is its current state and has no end.
-- Time in state = the durations of every finished visit of that state summed (on each of its visit rows).
with history as (
    select
        h.deal_id,
        h.period,
        h.state_id,
        h.user_id,
        s.state_name,
        s.state_position,
        s.is_won_state,
        s.is_lost_state,
        lag(h.state_id) over (
            partition by h.deal_id order by h.period, s.state_position
        ) as previous_record_state_id
    from {{ ref('stg_onec_crm__deal_state_history') }} as h
    inner join {{ ref('int_crm__deal_states') }} as s on h.state_id = s.deal_state_id
    where h.deal_id is not null and h.period is not null
),

entries as (
    select *
    from history
    where previous_record_state_id is null or previous_record_state_id <> state_id
),

visits as (
    select
        deal_id,
        state_id,
        state_name,
        state_position,
        is_won_state,
        is_lost_state,
        user_id,
        period as entered_at,
        lead(period) over (partition by deal_id order by period, state_position) as exited_at,
        lag(state_position) over (partition by deal_id order by period, state_position) as previous_position,
        row_number() over (partition by deal_id order by period, state_position) as step_number,
        row_number() over (partition by deal_id, state_id order by period, state_position) as visit_number
    from entries
)

select
    deal_id,
    step_number,
    state_id,
    state_name,
    state_position,
    is_won_state,
    is_lost_state,
    visit_number,
    user_id,
    entered_at,
    exited_at,
    exited_at is null as is_current,
    coalesce(state_position < previous_position, false) as is_back_move,
    round(extract(epoch from exited_at - entered_at) / 3600.0, 2)::numeric(18, 2) as duration_hours,
    round(
        extract(epoch from sum(exited_at - entered_at) over (partition by deal_id, state_id)) / 3600.0, 2
    )::numeric(18, 2) as time_in_state_hours
from visits
