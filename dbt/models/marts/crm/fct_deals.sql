-- One row per deal (Document_CRM_Интерес): how far it got, where it is, how it ended, its first-touch channel,
-- its value, and its revenue and gross margin from marts.fct_deal_margin. Furthest state = the highest Порядок
-- ever reached in the state history ignoring Потерян, so a lost deal's furthest state is where it was lost; the
-- current state is the deal's own state. Won = current state Успешно, lost = Потерян (README 1.9: the
-- Завершающее flag is not used). First touch = the lead that opened the deal (Лид_Key; else the earliest lead
-- naming the deal).
with visits as (
    select
        deal_id,
        count(*) as state_visits,
        count(*) filter (where is_back_move) as back_moves,
        max(state_position) filter (where not is_lost_state) as furthest_position,
        max(state_position) filter (where not is_lost_state and not is_won_state) as furthest_working_position,
        max(entered_at) filter (where is_won_state or is_lost_state) as outcome_at,
        (array_agg(state_id order by step_number desc))[1] as last_state_id,
        (array_agg(state_position order by step_number desc) filter (where not is_lost_state))[1]
            as last_position_before_loss
    from {{ ref('int_crm__deal_state_visits') }}
    group by deal_id
),

first_leads as (
    select distinct on (deal_id)
        deal_id,
        lead_id
    from {{ ref('stg_onec_crm__leads') }}
    where deal_id is not null
    order by deal_id, document_date, document_number
),

states as (
    select * from {{ ref('int_crm__deal_states') }}
),

margins as (
    select
        deal_id,
        revenue,
        returns as returns_amount,
        net_revenue,
        cogs,
        gross_margin
    from {{ ref('fct_deal_margin') }}
),

deals as (
    select
        d.deal_id,
        d.document_number as deal_number,
        d.document_date as created_at,
        d.partner_id,
        d.manager_id,
        d.division_id,
        d.expected_revenue,
        d.lost_reason_id,
        d.closed_at as crm_closed_at,
        coalesce(d.lead_id, fl.lead_id) as lead_id,
        coalesce(d.state_id, v.last_state_id) as current_state_id,
        v.state_visits,
        v.back_moves,
        v.furthest_position,
        v.furthest_working_position,
        v.outcome_at,
        v.last_position_before_loss
    from {{ ref('stg_onec_crm__deals') }} as d
    left join visits as v on d.deal_id = v.deal_id
    left join first_leads as fl on d.deal_id = fl.deal_id
),

outcomes as (
    select
        d.*,
        cs.state_name as current_state,
        cs.state_position as current_state_position,
        case when cs.is_won_state then 'won' when cs.is_lost_state then 'lost' else 'open' end as outcome
    from deals as d
    left join states as cs on d.current_state_id = cs.deal_state_id
),

closed as (
    select
        *,
        case when outcome <> 'open' then coalesce(crm_closed_at, outcome_at) end as closed_at
    from outcomes
)

select
    c.deal_id,
    c.deal_number,
    c.created_at,
    c.created_at::date as created_date,
    c.lead_id,
    l.lead_number,
    l.channel as lead_channel,
    l.utm_source,
    l.utm_campaign,
    l.lead_month,
    c.partner_id as client_id,
    p.name as client_name,
    c.manager_id,
    u.name as manager_name,
    c.division_id,
    c.current_state,
    c.current_state_position,
    fs.state_name as furthest_state,
    c.furthest_position as furthest_state_position,
    fw.state_name as furthest_working_state,
    c.furthest_working_position as furthest_working_state_position,
    lb.state_name as last_state_before_loss,
    coalesce(c.state_visits, 0) as state_visits,
    coalesce(c.back_moves, 0) as back_moves,
    c.outcome,
    c.outcome = 'won' as is_won,
    c.outcome = 'lost' as is_lost,
    case when c.outcome = 'lost' then r.name end as lost_reason,
    c.closed_at,
    c.closed_at::date as closed_date,
    c.closed_at::date - c.created_at::date as cycle_days,
    coalesce(o.orders, 0) as orders,
    c.expected_revenue,
    coalesce(o.order_value, c.expected_revenue)::numeric(18, 2) as deal_value,
    m.revenue,
    m.returns_amount,
    m.net_revenue,
    m.cogs,
    m.gross_margin
from closed as c
left join margins as m on c.deal_id = m.deal_id
left join {{ ref('fct_leads') }} as l on c.lead_id = l.lead_id
left join states as fs on c.furthest_position = fs.state_position and fs.is_funnel_state
left join states as fw on c.furthest_working_position = fw.state_position and fw.is_working_state
left join states as lb
    on c.outcome = 'lost' and c.last_position_before_loss = lb.state_position and lb.is_funnel_state
left join {{ ref('int_crm__deal_orders') }} as o on c.deal_id = o.deal_id
left join {{ ref('stg_onec_trade__partners') }} as p on c.partner_id = p.partner_id
left join {{ ref('stg_onec_trade__users') }} as u on c.manager_id = u.user_id
left join {{ ref('stg_onec_crm__reasons') }} as r on c.lost_reason_id = r.reason_id
