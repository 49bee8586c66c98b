-- The sales funnel: for each month basis, month, lead channel, manager and funnel state, the deals that ever
-- reached the state. Reached = the deal's furthest state (highest Порядок ignoring Потерян) is at or beyond
-- the state, so a skipped state counts as passed and the count never increases down the states.
-- month_basis 'lead_month': every deal once, in the month of the lead that opened it (the deal's own month when
--   it has no lead), by its furthest state today.
-- month_basis 'event_month': every deal in each month it changed state (Потерян and Успешно included), by the
--   furthest state it had reached by that month's end.
with deals as (
    select
        deal_id,
        coalesce(lead_month, date_trunc('month', created_at)::date) as lead_month,
        coalesce(lead_channel, '(без лида)') as channel,
        manager_id,
        manager_name,
        coalesce(furthest_state_position, 0) as furthest_position
    from {{ ref('fct_deals') }}
),

visits as (
    select
        deal_id,
        date_trunc('month', entered_at)::date as month,
        entered_at,
        state_position,
        is_lost_state
    from {{ ref('int_crm__deal_state_visits') }}
),

event_months as (
    select distinct
        deal_id,
        month
    from visits
),

event_progress as (
    select
        m.deal_id,
        m.month,
        coalesce(max(v.state_position) filter (where not v.is_lost_state), 0) as furthest_position
    from event_months as m
    inner join visits as v
        on m.deal_id = v.deal_id and v.entered_at < (m.month + interval '1 month')
    group by m.deal_id, m.month
),

deal_months as (
    select
        'lead_month' as month_basis,
        lead_month as month,
        deal_id,
        channel,
        manager_id,
        manager_name,
        furthest_position
    from deals
    union all
    select
        'event_month' as month_basis,
        e.month,
        d.deal_id,
        d.channel,
        d.manager_id,
        d.manager_name,
        e.furthest_position
    from event_progress as e
    inner join deals as d on e.deal_id = d.deal_id
),

reached as (
    select
        dm.month_basis,
        dm.month,
        dm.channel,
        dm.manager_id,
        dm.manager_name,
        s.state_name,
        s.state_position,
        count(*) filter (where dm.furthest_position >= s.state_position) as deals_reached
    from deal_months as dm
    cross join {{ ref('int_crm__deal_states') }} as s
    where s.is_funnel_state
    group by dm.month_basis, dm.month, dm.channel, dm.manager_id, dm.manager_name, s.state_name, s.state_position
),

with_neighbours as (
    select
        *,
        lag(deals_reached) over (
            partition by month_basis, month, channel, manager_id order by state_position
        ) as previous_reached,
        first_value(deals_reached) over (
            partition by month_basis, month, channel, manager_id order by state_position
        ) as first_reached
    from reached
)

select
    month_basis,
    month,
    channel,
    manager_id,
    manager_name,
    state_name,
    state_position,
    deals_reached,
    case
        when previous_reached is null then 100.00
        when previous_reached > 0 then round(100.0 * deals_reached / previous_reached, 2)
    end::numeric(18, 2) as pct_of_previous,
    case when first_reached > 0 then round(100.0 * deals_reached / first_reached, 2) end::numeric(18, 2)
        as pct_of_first
from with_neighbours
