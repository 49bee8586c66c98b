-- Keys are netted within themselves: the engine applies an advance to the key's next item at once, and a
-- credit pays the key's open items before it becomes an advance, so no settlement key ever holds an open
-- item and an advance at the same date (customers and suppliers).
select
    'customer' as side,
    as_of_date,
    counterparty_id,
    contract_id,
    customer_order_id as order_id
from {{ ref('fct_receivables_open_items') }}
group by as_of_date, counterparty_id, contract_id, customer_order_id
having bool_or(item_kind = 'advance') and bool_or(item_kind = 'open_item')

union all

select
    'supplier' as side,
    as_of_date,
    counterparty_id,
    contract_id,
    supplier_order_id as order_id
from {{ ref('fct_payables_open_items') }}
group by as_of_date, counterparty_id, contract_id, supplier_order_id
having bool_or(item_kind = 'advance') and bool_or(item_kind = 'open_item')
