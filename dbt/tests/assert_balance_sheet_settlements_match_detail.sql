-- The settlement lines of the balance sheet are the sum of their keys (rpt_balance_sheet_detail), and the keys
-- of 1300 and 2100 add back to the ledger's account balances: receivables − advances received = 1300,
-- advances paid − payables = 2100, to the kopeck. Returns the failing month ends and lines.
with detail as (
    select
        month_end,
        line,
        sum(amount) as amount
    from {{ ref('rpt_balance_sheet_detail') }}
    group by month_end, line
),

sheet as (
    select
        month_end,
        line,
        amount
    from {{ ref('rpt_balance_sheet') }}
    where line in ('receivables', 'advances_paid', 'payables', 'advances_received', 'other_payables')
),

ledger_movements as (
    select
        month,
        sum(amount) filter (where account_code = '1300') as customers,
        sum(amount) filter (where account_code = '2100') as suppliers
    from {{ ref('fct_ledger_entries') }}
    where account_code in ('1300', '2100')
    group by month
),

ledger as (
    -- each month end: the months' movements up to it
    select
        m.month_end,
        sum(l.customers) as customers,
        sum(l.suppliers) as suppliers
    from {{ ref('int_ledger_months') }} as m
    inner join ledger_movements as l on m.month >= l.month
    group by m.month_end
),

pivot as (
    select
        month_end,
        sum(amount) filter (where line = 'receivables') as receivables,
        sum(amount) filter (where line = 'advances_received') as advances_received,
        sum(amount) filter (where line = 'advances_paid') as advances_paid,
        sum(amount) filter (where line = 'payables') as payables
    from sheet
    group by month_end
)

select
    s.month_end,
    s.line,
    s.amount as sheet_amount,
    coalesce(d.amount, 0) as detail_amount,
    null::numeric as ledger_amount
from sheet as s
left join detail as d on s.month_end = d.month_end and s.line = d.line
where s.amount != coalesce(d.amount, 0)
union all
select
    p.month_end,
    'customers' as line,  -- noqa: RF04
    p.receivables - p.advances_received as sheet_amount,
    null as detail_amount,
    coalesce(l.customers, 0) as ledger_amount
from pivot as p
left join ledger as l on p.month_end = l.month_end
where p.receivables - p.advances_received != coalesce(l.customers, 0)
union all
select
    p.month_end,
    'suppliers' as line,  -- noqa: RF04
    p.advances_paid - p.payables as sheet_amount,
    null as detail_amount,
    coalesce(l.suppliers, 0) as ledger_amount
from pivot as p
left join ledger as l on p.month_end = l.month_end
where p.advances_paid - p.payables != coalesce(l.suppliers, 0)
