-- Every ledger entry of the business documents (before the FX differences they cause): the union of the
-- int_ledger__* event models, with the settlement-currency amount of each 1300 / 2100 entry.
select * from {{ ref('int_ledger__opening') }}  -- noqa: AM04
union all
select * from {{ ref('int_ledger__goods_receipts') }}
union all
select * from {{ ref('int_ledger__service_purchases') }}
union all
select * from {{ ref('int_ledger__customs') }}
union all
select * from {{ ref('int_ledger__sales') }}
union all
select * from {{ ref('int_ledger__cost_of_sales') }}
union all
select * from {{ ref('int_ledger__payments') }}
union all
select * from {{ ref('int_ledger__expense_accruals') }}
