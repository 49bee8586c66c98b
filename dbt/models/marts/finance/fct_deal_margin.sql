-- Margin of every CRM deal (DOMAIN.md 3.4): the sums of its customer orders (fct_order_margin), the same
-- waterfall revenue − returns − COGS = gross margin − direct costs = contribution − overhead = net margin.
-- Sales outside any deal are not here; they appear in the P&L and in fct_order_margin (deal_id NULL).
-- The client, manager and division names ride along so the dashboards sum by them without a join.
with orders as (
    select
        deal_id,
        min(counterparty_id::text)::uuid as order_client_id,
        sum(ordered_gross) as ordered_gross,
        sum(shipped_gross) as shipped_gross,
        sum(returned_gross) as returned_gross,
        sum(paid_gross) as paid_gross,
        sum(revenue) as revenue,
        sum(returns) as returns,
        sum(cogs) as cogs,
        sum(direct_costs) as direct_costs,
        sum(overhead) as overhead,
        count(*) as orders
    from {{ ref('fct_order_margin') }}
    where deal_id is not null
    group by deal_id
),

partner_clients as (
    select
        partner_id,
        min(counterparty_id::text)::uuid as counterparty_id
    from {{ ref('stg_onec_trade__counterparties') }}
    group by partner_id
),

summed as (
    select
        d.deal_id,
        d.document_number as deal_number,
        d.document_date::date as deal_date,
        coalesce(o.order_client_id, pc.counterparty_id) as client_id,
        c.name as client_name,
        d.partner_id,
        d.manager_id,
        d.division_id,
        dv.name as division_name,
        u.name as manager_name,
        s.name as current_state,
        case s.name when 'Успешно' then 'won' when 'Потерян' then 'lost' else 'open' end as status,
        d.closed_at::date as closed_date,
        coalesce(o.orders, 0) as orders,
        coalesce(o.ordered_gross, 0) as ordered_gross,
        coalesce(o.shipped_gross, 0) as shipped_gross,
        coalesce(o.returned_gross, 0) as returned_gross,
        coalesce(o.paid_gross, 0) as paid_gross,
        coalesce(o.revenue, 0) as revenue,
        coalesce(o.returns, 0) as returns,
        coalesce(o.cogs, 0) as cogs,
        coalesce(o.direct_costs, 0) as direct_costs,
        coalesce(o.overhead, 0) as overhead
    from {{ ref('stg_onec_crm__deals') }} as d
    left join orders as o on d.deal_id = o.deal_id
    left join partner_clients as pc on d.partner_id = pc.partner_id
    left join {{ ref('stg_onec_crm__deal_states') }} as s on d.state_id = s.deal_state_id
    left join {{ ref('stg_onec_trade__counterparties') }} as c
        on coalesce(o.order_client_id, pc.counterparty_id) = c.counterparty_id
    left join {{ ref('stg_onec_trade__divisions') }} as dv on d.division_id = dv.division_id
    left join {{ ref('stg_onec_trade__users') }} as u on d.manager_id = u.user_id
)

select
    deal_id,
    deal_number,
    deal_date,
    client_id,
    client_name,
    manager_id,
    manager_name,
    division_id,
    division_name,
    status,
    current_state,
    closed_date,
    orders,
    {{ margin_waterfall() }}
from summed
