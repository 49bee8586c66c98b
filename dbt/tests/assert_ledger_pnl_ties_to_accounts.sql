-- The P&L reads the ledger exactly: every month's company profit = − Σ of the P&L accounts' entries, and the
-- division rows of every line add up to the company row, to the kopeck. Returns the failing months / lines.
with ledger as (
    select
        e.month,
        -sum(e.amount) as profit
    from {{ ref('fct_ledger_entries') }} as e
    inner join {{ ref('chart_of_accounts') }} as a on e.account_code = a.account_code
    where a.statement = 'pnl'
    group by e.month
),

company as (
    select
        month,
        fact as profit
    from {{ ref('rpt_pnl') }}
    where scope = 'total' and line = 'profit'
),

split as (
    select
        month,
        line,
        coalesce(article, '') as article,
        coalesce(sum(fact) filter (where scope = 'division'), 0) as divisions,
        sum(fact) filter (where scope = 'total') as company
    from {{ ref('rpt_pnl') }}
    group by month, line, coalesce(article, '')
)

select
    coalesce(c.month, l.month) as month,
    'profit' as line,  -- noqa: RF04
    '' as article,
    c.profit as pnl_amount,
    l.profit as other_amount
from company as c
full outer join ledger as l on c.month = l.month
where coalesce(c.profit, 0) != coalesce(l.profit, 0)
union all
select
    month,
    line,
    article,
    company as pnl_amount,
    divisions as other_amount
from split
where company is distinct from divisions
