-- Management balance sheet at each month end (DOMAIN.md 3.5), read from the ledger: assets = liabilities +
-- equity by construction. Customer and supplier balances are presented per settlement key by their sign
-- (int_ledger_settlement_balances); current-year profit = the P&L accounts since 1 January of the month end's
-- year, retained earnings = 3100 + the P&L accounts of earlier years.
with accounts as (
    select
        account_code,
        account_class,
        statement,
        section
    from {{ ref('chart_of_accounts') }}
),

months as (
    select
        month,
        month_end
    from {{ ref('int_ledger_months') }}
),

lines (section, line, sort_order) as (
    values
    ('assets', 'cash', 10),
    ('assets', 'receivables', 20),
    ('assets', 'advances_paid', 30),
    ('assets', 'inventory', 40),
    ('assets', 'input_vat', 50),
    ('total', 'total_assets', 60),
    ('liabilities', 'payables', 70),
    ('liabilities', 'advances_received', 80),
    ('liabilities', 'output_vat', 90),
    ('liabilities', 'other_payables', 100),
    ('total', 'total_liabilities', 110),
    ('equity', 'capital', 120),
    ('equity', 'retained_earnings', 130),
    ('equity', 'current_year_profit', 140),
    ('total', 'total_equity', 150),
    ('total', 'total_liabilities_and_equity', 160)
),

movements as (
    -- balance-sheet accounts presented whole (settlement accounts go by key below), summed by month once:
    -- each month end adds up the months up to it, not every entry again
    select
        e.month,
        case when a.statement = 'pnl' then 'pnl' else a.section end as section,
        -- assets debit-positive; liabilities, equity and the P&L accounts (as profit) credit-positive
        sum(case when a.account_class = 'asset' then e.amount else -e.amount end) as amount
    from {{ ref('fct_ledger_entries') }} as e
    inner join accounts as a on e.account_code = a.account_code
    where a.section not in ('receivables', 'payables', 'other_payables')
    group by e.month, case when a.statement = 'pnl' then 'pnl' else a.section end
),

classified as (
    select
        m.month_end,
        case
            when mv.section = 'pnl' and mv.month < date_trunc('year', m.month_end) then 'retained_earnings'
            when mv.section = 'pnl' then 'current_year_profit'
            else mv.section
        end as line,  -- noqa: RF04
        mv.amount
    from months as m
    inner join movements as mv on m.month >= mv.month
),

account_lines as (
    select
        month_end,
        line,
        sum(amount) as amount
    from classified
    group by month_end, line
),

settlement_lines as (
    select
        month_end,
        line,
        sum(amount) as amount
    from {{ ref('int_ledger_settlement_balances') }}
    group by month_end, line
),

detail as (
    select * from account_lines
    union all
    select * from settlement_lines
),

filled as (
    select
        m.month_end,
        l.section,
        l.line,
        l.sort_order,
        coalesce(sum(d.amount), 0) as amount
    from months as m
    cross join lines as l
    left join detail as d on m.month_end = d.month_end and l.line = d.line
    where l.section != 'total'
    group by m.month_end, l.section, l.line, l.sort_order
)

select
    month_end,
    section,
    line,
    sort_order,
    amount::numeric(18, 2) as amount
from filled
union all
select
    f.month_end,
    'total' as section,
    l.line,
    l.sort_order,
    sum(f.amount) filter (
        where
        l.line = 'total_assets' and f.section = 'assets'
        or l.line = 'total_liabilities' and f.section = 'liabilities'
        or l.line = 'total_equity' and f.section = 'equity'
        or l.line = 'total_liabilities_and_equity' and f.section in ('liabilities', 'equity')
    )::numeric(18, 2) as amount
from filled as f
cross join lines as l
where l.section = 'total'
group by f.month_end, l.line, l.sort_order
