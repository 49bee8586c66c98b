-- The supplier side of DOMAIN.md 4.4: open items less advances paid in fct_payables_open_items equal the
-- supplier, vendor and payroll balances in the ledger (2100 + 2200, credit positive) at every month end, per
-- counterparty and contract, to the kopeck.
with dates as (
    select as_of_date
    from {{ ref('int_receivable_as_of_dates') }}
    where is_month_end
),

ledger as (
    select
        d.as_of_date,
        l.counterparty_id,
        l.contract_id,
        -sum(l.amount) as balance
    from dates as d
    inner join {{ ref('fct_ledger_entries') }} as l on d.as_of_date >= l.entry_date
    where l.account_code in ('2100', '2200')
    group by d.as_of_date, l.counterparty_id, l.contract_id
),

ageing as (
    select
        f.as_of_date,
        f.counterparty_id,
        f.contract_id,
        sum(f.open_amount) as balance
    from {{ ref('fct_payables_open_items') }} as f
    inner join dates as d on f.as_of_date = d.as_of_date
    group by f.as_of_date, f.counterparty_id, f.contract_id
)

select
    coalesce(l.as_of_date, a.as_of_date) as as_of_date,
    coalesce(l.counterparty_id, a.counterparty_id) as counterparty_id,
    coalesce(l.contract_id, a.contract_id) as contract_id,
    l.balance as ledger_balance,
    a.balance as ageing_balance
from ledger as l
full outer join ageing as a
    on
        l.as_of_date = a.as_of_date
        and {{ same_key('l.counterparty_id', 'a.counterparty_id') }}
        and {{ same_key('l.contract_id', 'a.contract_id') }}
where coalesce(l.balance, 0) != coalesce(a.balance, 0)
