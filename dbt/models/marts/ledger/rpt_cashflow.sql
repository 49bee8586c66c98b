-- Cash flow (БДДС, DOMAIN.md 3.5), direct method, read from the ledger's cash accounts (1010 bank, 1020 cash
-- desk), so the closing cash is the ledger's and the balance sheet's by construction. Per month: opening cash
-- (every cash entry before the month, and the opening-balance document within it: it is not an inflow),
-- inflows (cash debits) and outflows (cash credits) by cash-flow article, grouped in sections by the article's
-- РазделБДДС in 1C (Операционная = operating, Инвестиционная = investing, Финансовая = financing), subtotals
-- per section and overall, net flow and closing cash. Transfers between bank and cash desk (event
-- cash_transfer) move no money out of the company and are left out of the flows. Inflows and outflows are
-- positive numbers. Plan from the finance budget (stg_files__budget_plan, sheet БДДС) by article name and
-- direction; the closing plan is the opening fact + planned net flow.
with cash as (
    select
        e.month,
        e.event,
        e.amount,
        coalesce(a.name, '(без статьи)') as article,
        case when e.amount > 0 then 'inflow' else 'outflow' end as row_type,
        case a.cash_flow_section
            when 'Инвестиционная' then 'investing'
            when 'Финансовая' then 'financing'
            else 'operating'
        end as section
    from {{ ref('fct_ledger_entries') }} as e
    left join {{ ref('stg_onec_trade__cash_flow_articles') }} as a on e.cash_flow_article_id = a.cash_flow_article_id
    where e.account_code in ('1010', '1020')
),

months as (
    select month from {{ ref('int_ledger_months') }}
),

flows as (
    select
        month,
        section,
        article,
        row_type,
        sum(abs(amount)) as fact
    from cash
    where event not in ('opening', 'cash_transfer')
    group by month, section, article, row_type
),

plan as (
    select
        plan_month as month,
        article,
        case when section like '%Поступление%' then 'inflow' else 'outflow' end as row_type,
        case
            when section like 'Инвестиционная%' then 'investing'
            when section like 'Финансовая%' then 'financing'
            else 'operating'
        end as section,
        plan_amount
    from {{ ref('stg_files__budget_plan') }}
    where budget = 'cashflow'
),

article_keys as (
    select distinct
        section,
        article,
        row_type
    from flows
    union
    select distinct
        section,
        article,
        row_type
    from plan
),

article_rows as (
    -- every article with a flow or a plan, in every month
    select
        m.month,
        k.section,
        k.article,
        k.row_type,
        coalesce(f.fact, 0) as fact,
        p.plan_amount as plan  -- noqa: RF04
    from months as m
    cross join article_keys as k
    left join flows as f
        on m.month = f.month and k.section = f.section and k.article = f.article and k.row_type = f.row_type
    left join plan as p
        on m.month = p.month and k.section = p.section and k.article = p.article and k.row_type = p.row_type
),

balances as (
    select
        m.month,
        coalesce(sum(c.amount) filter (
            where c.month < m.month or c.month = m.month and c.event = 'opening'
        ), 0) as opening,
        coalesce(sum(c.amount) filter (where c.month <= m.month), 0) as closing
    from months as m
    left join cash as c on m.month >= c.month
    group by m.month
),

subtotals as (
    select
        month,
        section,
        row_type || 's_total' as row_type,
        sum(fact) as fact,
        sum(plan) as plan  -- noqa: RF04
    from article_rows
    group by grouping sets ((month, section, row_type), (month, row_type))
),

net as (
    select
        month,
        section,
        'net_flow' as row_type,
        sum(case when row_type = 'inflow' then fact else -fact end) as fact,
        sum(case when row_type = 'inflow' then plan else -plan end) as plan  -- noqa: RF04
    from article_rows
    group by grouping sets ((month, section), (month))
),

all_rows as (
    select
        month,
        null as section,
        'opening' as row_type,
        null as article,
        opening as fact,
        null::numeric as plan  -- noqa: RF04
    from balances
    union all
    select
        month,
        section,
        row_type,
        article,
        fact,
        plan
    from article_rows
    union all
    select
        month,
        section,
        row_type,
        null as article,
        fact,
        plan
    from subtotals
    union all
    select
        month,
        section,
        row_type,
        null as article,
        fact,
        plan
    from net
    union all
    select
        b.month,
        null as section,
        'closing' as row_type,
        null as article,
        b.closing as fact,
        b.opening + n.plan as plan  -- noqa: RF04
    from balances as b
    left join net as n on b.month = n.month and n.section is null
)

select
    month,
    section,
    row_type,
    article,
    -- opening first, then each section's rows (operating, investing, financing), the company totals, closing
    case section when 'operating' then 100 when 'investing' then 200 when 'financing' then 300 else 400 end
    + case row_type
        when 'inflow' then 10 when 'inflows_total' then 20 when 'outflow' then 30 when 'outflows_total' then 40
        when 'net_flow' then 50 when 'opening' then -400 else 90
    end
        as sort_order,
    fact::numeric(18, 2) as fact,
    plan::numeric(18, 2) as plan,  -- noqa: RF04
    (fact - plan)::numeric(18, 2) as variance,
    case when plan != 0 then round((fact - plan) * 100 / abs(plan), 2) end as variance_pct
from all_rows
