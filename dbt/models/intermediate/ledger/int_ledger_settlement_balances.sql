{{ config(materialized='table') }}
-- Settlement balances at each month end, per settlement key (counterparty + contract + the order where the
-- contract settles by order): customers (1300), suppliers and vendors (2100), other creditors (2200). The
-- balance sheet presents each key by its sign, never netting keys against each other (README 1.5):
-- 1300 debit = receivables, credit = advances received; 2100 debit = advances paid, credit = payables;
-- 2200 = other payables (a debit too, as a negative payable).
-- Each key's movements are summed by month once and carried to the month ends (macros/carried_balances.sql;
-- joining every entry to every later month end summed each entry once per month: 150 s a read on large).
with movements as (
    select
        month,
        account_code,
        counterparty_id,
        contract_id,
        settlement_order_id,
        sum(amount) as movement
    from {{ ref('fct_ledger_entries') }}
    where account_code in ('1300', '2100', '2200')
    group by month, account_code, counterparty_id, contract_id, settlement_order_id
),

balances as (
    {{ carried_balances(
        'movements', ['account_code', 'counterparty_id', 'contract_id', 'settlement_order_id'],
        ref('int_ledger_months'), 'month_end'
    ) }}
)

select
    month_end,
    account_code,
    counterparty_id,
    contract_id,
    settlement_order_id,
    case
        when account_code = '1300' and balance > 0 then 'receivables'
        when account_code = '1300' then 'advances_received'
        when account_code = '2100' and balance > 0 then 'advances_paid'
        when account_code = '2100' then 'payables'
        else 'other_payables'
    end as line,  -- noqa: RF04
    balance::numeric(18, 2) as balance,
    -- as the line presents it: assets debit-positive, liabilities credit-positive
    (case
        when account_code = '1300' and balance > 0 or account_code = '2100' and balance > 0 then balance
        else -balance
    end)::numeric(18, 2) as amount
from balances
where balance != 0
