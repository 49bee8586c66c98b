-- The settlement lines of the balance sheet per settlement key at each month end (counterparty, contract and
-- the order where the contract settles by order): the detail behind receivables, advances paid, payables,
-- advances received and other payables.
select
    b.month_end,
    b.line,
    b.account_code,
    b.counterparty_id,
    k.name as counterparty_name,
    b.contract_id,
    c.name as contract_name,
    b.settlement_order_id,
    coalesce(co.document_number, so.document_number) as settlement_order_number,
    b.amount
from {{ ref('int_ledger_settlement_balances') }} as b
left join {{ ref('stg_onec_trade__counterparties') }} as k on b.counterparty_id = k.counterparty_id
left join {{ ref('stg_onec_trade__contracts') }} as c on b.contract_id = c.contract_id
left join {{ ref('stg_onec_trade__customer_orders') }} as co on b.settlement_order_id = co.customer_order_id
left join {{ ref('stg_onec_trade__supplier_orders') }} as so on b.settlement_order_id = so.supplier_order_id
