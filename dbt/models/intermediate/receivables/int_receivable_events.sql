{{ config(materialized="table", post_hook="{{ receivables_install_settle_function() }}") }}
-- Every event on customer settlements (account 1300), in roubles at its document date's rate, on its
-- settlement key: counterparty + contract (+ customer order where the contract settles by order).
-- Items (debits) open an amount the customer owes: shipments (gross), refunds of customer money, opening
-- debts. Credits: payment lines, customer returns (naming their shipment), opening advances. Money lines are
-- customer settlements where seeds/ledger_payment_rules.csv sends them to 1300, as in the ledger.
-- The post-hook installs the settlement engine (macros/receivables_settle_function.sql).
with contracts as (
    select
        contract_id,
        coalesce(payment_terms_days, 0) as payment_terms_days,
        settlement_detail = 'ПоЗаказам' as settles_by_order
    from {{ ref('stg_onec_trade__contracts') }}
),

shipment_totals as (
    select
        document_id,
        sum(gross_amount) as gross_amount
    from {{ ref('int_sales_lines') }}
    where kind = 'shipment'
    group by document_id
),

shipments as (
    select
        true as is_item,
        'shipment' as event_kind,
        'РеализацияТоваровУслуг' as document_type,
        h.shipment_id as document_id,
        0 as line_number,
        h.document_number,
        h.document_date as event_ts,
        h.counterparty_id,
        h.contract_id,
        h.customer_order_id,
        h.document_date::date + coalesce(c.payment_terms_days, 0)::integer as due_date,
        t.gross_amount as amount,
        null::uuid as target_document_id,
        null as credit_source,
        h.manager_id
    from {{ ref('stg_onec_trade__shipments') }} as h
    inner join shipment_totals as t on h.shipment_id = t.document_id
    left join contracts as c on h.contract_id = c.contract_id
),

return_totals as (
    select
        document_id,
        sum(gross_amount) as gross_amount
    from {{ ref('int_sales_lines') }}
    where kind = 'return'
    group by document_id
),

-- a return settles on its shipment's key (it closes that shipment's item)
customer_returns as (
    select
        false as is_item,
        'return' as event_kind,
        'ВозвратТоваровОтКлиента' as document_type,
        h.customer_return_id as document_id,
        0 as line_number,
        h.document_number,
        h.document_date as event_ts,
        coalesce(s.counterparty_id, h.counterparty_id) as counterparty_id,
        coalesce(s.contract_id, h.contract_id) as contract_id,
        coalesce(s.customer_order_id, h.customer_order_id) as customer_order_id,
        null::date as due_date,
        t.gross_amount as amount,
        h.shipment_id as target_document_id,
        'return' as credit_source,
        h.manager_id
    from {{ ref('stg_onec_trade__customer_returns') }} as h
    inner join return_totals as t on h.customer_return_id = t.document_id
    left join {{ ref('stg_onec_trade__shipments') }} as s on h.shipment_id = s.shipment_id
),

money as (
    select
        p.money_flow = 'out' as is_item,
        case when p.money_flow = 'in' then 'payment' else 'refund' end as event_kind,
        p.document_type,
        p.document_id,
        p.line_number,
        p.document_number,
        p.document_date as event_ts,
        p.counterparty_id,
        p.contract_id,
        case when p.order_type = 'Document_ЗаказКлиента' then p.order_id end as customer_order_id,
        -- a refund gives the customer's money back: a debit due at once, which takes the key's advance
        case when p.money_flow = 'out' then p.document_date::date end as due_date,
        p.amount,
        null::uuid as target_document_id,
        case when p.money_flow = 'in' then 'payment' end as credit_source,
        null::uuid as manager_id
    from {{ receivables_money_lines() }} as p
    where p.settlement_account_code = '1300'
),

-- opening balances: a positive amount is a debt (due on its СрокОплаты date), a negative one an advance
opening as (
    select
        l.amount > 0 as is_item,
        case when l.amount > 0 then 'opening_debt' else 'opening_advance' end as event_kind,
        'ВводОстатков' as document_type,
        h.opening_balance_id as document_id,
        l.line_number,
        h.document_number,
        h.document_date as event_ts,
        l.counterparty_id,
        l.contract_id,
        null::uuid as customer_order_id,
        case when l.amount > 0 then coalesce(l.payment_terms_days::date, h.document_date::date) end as due_date,
        abs(l.amount) as amount,
        null::uuid as target_document_id,
        case when l.amount < 0 then 'opening' end as credit_source,
        null::uuid as manager_id
    from {{ ref('stg_onec_trade__opening_settlements') }} as l
    inner join {{ ref('stg_onec_trade__opening_balances') }} as h on l.opening_balance_id = h.opening_balance_id
    where h.balance_kind = 'ОстаткиРасчетовСКлиентами' and l.amount != 0
),

events as (
    select * from shipments
    union all
    select * from customer_returns
    union all
    select * from money
    union all
    select * from opening
)

select
    e.is_item,
    e.event_kind,
    e.document_type,
    e.document_id,
    e.line_number,
    e.document_number,
    e.event_ts,
    e.event_ts::date as document_date,
    e.counterparty_id,
    e.contract_id,
    -- the order is part of the key only where the contract settles by order
    case when c.settles_by_order then e.customer_order_id end as key_order_id,
    e.customer_order_id,
    e.due_date,
    e.amount::numeric(18, 2) as amount,
    e.target_document_id,
    e.credit_source,
    e.manager_id
from events as e
left join contracts as c on e.contract_id = c.contract_id
