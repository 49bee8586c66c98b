-- P&L (БДР, DOMAIN.md 3.5), accrual, read from the ledger's P&L accounts: per month, per division and for the
-- company (scope = 'total', division_id null), plan vs fact. Expense lines are one per expense article
-- (9200 indirect, 9210 direct deal costs). Plan from the finance budget (stg_files__budget_plan, sheet БДР),
-- company level only: division rows carry no plan. Derived lines (net revenue, gross profit, totals,
-- profit) are computed from their parts, for fact and plan alike.
with accounts as (
    select
        account_code,
        section
    from {{ ref('chart_of_accounts') }}
    where statement = 'pnl'
),

articles as (
    select
        expense_article_id,
        name as article
    from {{ ref('stg_onec_trade__expense_articles') }}
),

pnl_entries as (
    select
        e.month,
        e.division_id,
        a.section,
        ar.article,
        e.amount
    from {{ ref('fct_ledger_entries') }} as e
    inner join accounts as a on e.account_code = a.account_code
    left join articles as ar on e.expense_article_id = ar.expense_article_id
),

scopes as (
    -- every division with a P&L entry (null = entries without a division), and the company total
    select distinct
        'division' as scope,
        division_id
    from pnl_entries
    union all
    select
        'total' as scope,
        null::uuid as division_id
),

plan as (
    select
        plan_month as month,
        article,
        plan_amount
    from {{ ref('stg_files__budget_plan') }}
    where budget = 'pnl'
),

-- the expense articles shown: every article with an entry or a plan row (not the budget's own
-- revenue / returns / cost of sales rows)
expense_articles as (
    select article from pnl_entries
    where section in ('expenses', 'direct_costs')
    union
    select p.article
    from plan as p
    inner join articles as ar on p.article = ar.article
),

line_list as (
    select
        line,
        null::text as article,
        sort_order
    from (
        values
        ('revenue', 10), ('returns', 20), ('net_revenue', 30), ('cogs', 40), ('gross_profit', 50),
        ('indirect_expenses', 70), ('direct_costs', 80), ('expenses_total', 90), ('operating_profit', 100),
        ('other_income', 110), ('other_expenses', 120), ('profit', 130)
    ) as v (line, sort_order)
    union all
    select
        'expenses' as line,  -- noqa: RF04
        article,
        60 as sort_order
    from expense_articles
),

base_lines as (
    select
        s.scope,
        s.division_id,
        m.month,
        l.line,
        l.article,
        l.sort_order
    from scopes as s
    cross join {{ ref('int_ledger_months') }} as m
    cross join line_list as l
),

facts as (
    -- signed so that every line reads positive in its normal direction
    select
        s.scope,
        s.division_id,
        e.month,
        e.section,
        e.article,
        sum(case when e.section in ('revenue', 'other_income') then -e.amount else e.amount end) as fact
    from pnl_entries as e
    inner join scopes as s
        on s.scope = 'total' or e.division_id is not distinct from s.division_id
    group by s.scope, s.division_id, e.month, e.section, e.article
),

fact_lines as (
    -- each fact on the P&L lines it feeds: its section's line, and an expense line per article
    select
        scope,
        division_id,
        month,
        case section when 'expenses' then 'indirect_expenses' else section end as line,  -- noqa: RF04
        null::text as article,
        fact
    from facts
    union all
    select
        scope,
        division_id,
        month,
        'expenses' as line,  -- noqa: RF04
        article,
        fact
    from facts
    where section in ('expenses', 'direct_costs')
),

fact_totals as (
    select
        scope,
        division_id,
        month,
        line,
        article,
        sum(fact) as fact
    from fact_lines
    group by scope, division_id, month, line, article
),

plan_lines as (
    -- the budget's rows on the P&L lines (company level)
    select
        p.month,
        case p.article
            when 'Выручка (без НДС)' then 'revenue'
            when 'Возвраты от клиентов' then 'returns'
            when 'Себестоимость продаж' then 'cogs'
            else case when ea.name is not null then 'expenses' end
        end as line,  -- noqa: RF04
        case when ea.name is not null then p.article end as article,
        p.plan_amount
    from plan as p
    left join {{ ref('stg_onec_trade__expense_articles') }} as ea on p.article = ea.name
    union all
    select
        p.month,
        case when ea.is_indirect then 'indirect_expenses' else 'direct_costs' end as line,  -- noqa: RF04
        null::text as article,
        p.plan_amount
    from plan as p
    inner join {{ ref('stg_onec_trade__expense_articles') }} as ea on p.article = ea.name
    where ea.is_indirect or ea.allocation_variant = 'НаЗаказКлиента'
),

plan_totals as (
    select
        month,
        line,
        article,
        sum(plan_amount) as plan_amount
    from plan_lines
    group by month, line, article
),

atoms as (
    select
        b.*,
        coalesce(f.fact, 0) as fact,
        case when b.scope = 'total' then p.plan_amount end as plan  -- noqa: RF04
    from base_lines as b
    left join fact_totals as f
        on
            b.scope = f.scope
            and b.division_id is not distinct from f.division_id
            and b.month = f.month
            and b.line = f.line
            and b.article is not distinct from f.article
    left join plan_totals as p
        on b.month = p.month and b.line = p.line and b.article is not distinct from p.article
),

derived as (
    select
        a.*,
        -- the totals each derived line is made of, per scope and month
        sum(a.fact) filter (where a.line = 'revenue') over w as f_rev,
        sum(a.fact) filter (where a.line = 'returns') over w as f_ret,
        sum(a.fact) filter (where a.line = 'cogs') over w as f_cogs,
        sum(a.fact) filter (where a.line = 'indirect_expenses') over w as f_ind,
        sum(a.fact) filter (where a.line = 'direct_costs') over w as f_dir,
        sum(a.fact) filter (where a.line = 'other_income') over w as f_oi,
        sum(a.fact) filter (where a.line = 'other_expenses') over w as f_oe,
        sum(a.plan) filter (where a.line = 'revenue') over w as p_rev,
        sum(a.plan) filter (where a.line = 'returns') over w as p_ret,
        sum(a.plan) filter (where a.line = 'cogs') over w as p_cogs,
        sum(a.plan) filter (where a.line = 'indirect_expenses') over w as p_ind,
        sum(a.plan) filter (where a.line = 'direct_costs') over w as p_dir
    from atoms as a
    window w as (partition by a.scope, a.division_id, a.month)
),

valued as (
    select
        scope,
        division_id,
        month,
        line,
        article,
        sort_order,
        case line
            when 'net_revenue' then f_rev - f_ret
            when 'gross_profit' then f_rev - f_ret - f_cogs
            when 'expenses_total' then f_ind + f_dir
            when 'operating_profit' then f_rev - f_ret - f_cogs - f_ind - f_dir
            when 'profit' then f_rev - f_ret - f_cogs - f_ind - f_dir + f_oi - f_oe
            else fact
        end as fact,
        case
            when scope = 'total' then
                case line
                    when 'net_revenue' then coalesce(p_rev, 0) - coalesce(p_ret, 0)
                    when 'gross_profit' then coalesce(p_rev, 0) - coalesce(p_ret, 0) - coalesce(p_cogs, 0)
                    when 'expenses_total' then coalesce(p_ind, 0) + coalesce(p_dir, 0)
                    when 'operating_profit'
                        then
                            coalesce(p_rev, 0) - coalesce(p_ret, 0) - coalesce(p_cogs, 0) - coalesce(p_ind, 0)
                            - coalesce(p_dir, 0)
                    when 'profit'
                        then
                            coalesce(p_rev, 0) - coalesce(p_ret, 0) - coalesce(p_cogs, 0) - coalesce(p_ind, 0)
                            - coalesce(p_dir, 0)
                    else plan
                end
        end as plan  -- noqa: RF04
    from derived
)

select
    v.month,
    v.scope,
    v.division_id,
    case when v.scope = 'total' then 'Итого' else coalesce(d.name, 'Без подразделения') end as division_name,
    v.line,
    v.article,
    v.sort_order,
    v.fact::numeric(18, 2) as fact,
    v.plan::numeric(18, 2) as plan,  -- noqa: RF04
    (v.fact - v.plan)::numeric(18, 2) as variance,
    case when v.plan != 0 then round((v.fact - v.plan) * 100 / abs(v.plan), 2) end as variance_pct
from valued as v
left join {{ ref('stg_onec_trade__divisions') }} as d on v.division_id = d.division_id
