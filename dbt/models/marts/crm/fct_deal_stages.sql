-- One row per visit of a deal to a state (a state entered again is a new visit). Duration in hours from entering
-- to leaving; the current state's visit (the deal's last) has no exit and no duration. time_in_state_hours sums
-- every finished visit of the state in the deal.
select
    v.deal_id,
    d.document_number as deal_number,
    v.step_number,
    v.state_id,
    v.state_name,
    v.state_position,
    v.visit_number,
    v.entered_at,
    v.exited_at,
    v.duration_hours,
    v.time_in_state_hours,
    v.is_current,
    v.is_back_move,
    v.user_id
from {{ ref('int_crm__deal_state_visits') }} as v
inner join {{ ref('stg_onec_crm__deals') }} as d on v.deal_id = d.deal_id
