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

running as (
    select
        month,
        counterparty_id,
        contract_id,
        sum(movement) over key_months as balance,
        lead(month) over key_months as next_movement_month
    from movements
    window key_months as (partition by counterparty_id, contract_id order by month)
),

ledger as (
    -- a key's balance after a month's movements holds at every month end until its next movement
    select
        d.as_of_date,
        r.counterparty_id,
        r.contract_id,
        r.balance
    from dates as d
    inner join running as r
        on d.as_of_date >= r.month and (r.next_movement_month is null or d.as_of_date < r.next_movement_month)
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
