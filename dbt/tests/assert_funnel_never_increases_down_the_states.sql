-- The funnel never increases down the states: in every row group (basis, month, channel, manager) a state
-- never has more deals than the state before it, and the first state of the lead-month funnel counts every
-- deal exactly once. Any row returned fails.
with steps as (
    select
        month_basis,
        month,
        channel,
        manager_id,
        state_position,
        deals_reached,
        lag(deals_reached) over (
            partition by month_basis, month, channel, manager_id order by state_position
        ) as previous_reached
    from {{ ref('rpt_funnel') }}
),

first_state as (
    select sum(deals_reached) as deals
    from {{ ref('rpt_funnel') }}
    where
        month_basis = 'lead_month'
        and state_position = (select min(r.state_position) from {{ ref('rpt_funnel') }} as r)
)

select
    month_basis,
    month,
    channel,
    state_position,
    deals_reached,
    previous_reached
from steps
where deals_reached > previous_reached
union all
select
    'lead_month' as month_basis,
    null as month,
    'all deals' as channel,
    null as state_position,
    f.deals as deals_reached,
    (select count(*) from {{ ref('fct_deals') }}) as previous_reached
from first_state as f
where coalesce(f.deals, 0) <> (select count(*) from {{ ref('fct_deals') }})
