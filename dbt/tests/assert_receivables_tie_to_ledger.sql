-- DOMAIN.md 4.4: receivables in the ageing, net of advances, equal the customer balances in the ledger
-- (account 1300), at every month end, per counterparty and contract, to the kopeck.
with dates as (
    select as_of_date
    from {{ ref('int_receivable_as_of_dates') }}
    where is_month_end
),

movements as (
    select
        month,
        counterparty_id,
        contract_id,
        sum(amount) as movement
    from {{ ref('fct_ledger_entries') }}
    where account_code = '1300'
    group by month, counterparty_id, contract_id
),

ledger as (
    {{ carried_balances('movements', ['counterparty_id', 'contract_id'], 'dates', 'as_of_date') }}
),

ageing as (
    select
        f.as_of_date,
        f.counterparty_id,
        f.contract_id,
        sum(f.open_amount) as balance
    from {{ ref('fct_receivables_open_items') }} as f
    inner join dates as d on f.as_of_date = d.as_of_date
    group by f.as_of_date, f.counterparty_id, f.contract_id
)

select
    coalesce(l.month_end, a.as_of_date) as as_of_date,
    coalesce(l.counterparty_id, a.counterparty_id) as counterparty_id,
    coalesce(l.contract_id, a.contract_id) as contract_id,
    l.balance as ledger_balance,
    a.balance as ageing_balance
from ledger as l
full outer join ageing as a
    on
        l.month_end = a.as_of_date
        and {{ same_key('l.counterparty_id', 'a.counterparty_id') }}
        and {{ same_key('l.contract_id', 'a.contract_id') }}
where coalesce(l.balance, 0) != coalesce(a.balance, 0)
