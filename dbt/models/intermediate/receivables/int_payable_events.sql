{{ config(materialized="table") }}
-- Every event on supplier and vendor settlements, in roubles at its document date's rate, on its settlement
-- key: counterparty + contract (+ supplier order where the contract settles by order). The mirror of
-- int_receivable_events: items are what the company owes (goods receipts, service and additional-cost
-- documents, customs declarations, expense accruals, opening debts, money received from them); credits are
-- the payments to them. account_code, as in the ledger: money lines by seeds/ledger_payment_rules.csv (2100
-- suppliers and vendors, 2200 payroll and other payables; VAT payments go to 2400 and are not here), expense
-- accruals by seeds/ledger_expense_accounts.csv (2200 for payroll), everything else 2100.
with contracts as (
    select
        contract_id,
        counterparty_id,
        coalesce(payment_terms_days, 0) as payment_terms_days,
        settlement_detail = 'ПоЗаказам' as settles_by_order,
        row_number() over (
            partition by counterparty_id
            order by contract_kind = 'СПоставщиком' desc, code asc, contract_id asc
        ) as contract_rank
    from {{ ref('stg_onec_trade__contracts') }}
),

-- a document without a contract (an expense accrual) settles on the counterparty's first supplier contract
-- by code, as in the ledger
default_contracts as (
    select
        counterparty_id,
        contract_id
    from contracts
    where contract_rank = 1
),

rates as (
    select * from {{ ref('int_currency_rates_daily') }}
),

receipt_parts as (
    select
        h.receipt_id as document_id,
        coalesce(l.supplier_order_id, h.supplier_order_id) as supplier_order_id,
        min(l.line_number) as line_number,
        sum(round(
            (l.amount + case when h.price_includes_vat then 0 else coalesce(l.vat_amount, 0) end)
            * coalesce(r.rub_per_unit, 1), 2
        )) as amount
    from {{ ref('stg_onec_trade__receipt_lines') }} as l
    inner join {{ ref('stg_onec_trade__receipts') }} as h on l.receipt_id = h.receipt_id
    left join rates as r on h.currency_id = r.currency_id and h.document_date::date = r.rate_date
    group by h.receipt_id, coalesce(l.supplier_order_id, h.supplier_order_id)
),

receipts as (
    select
        true as is_item,
        'receipt' as event_kind,
        'ПриобретениеТоваровУслуг' as document_type,
        h.receipt_id as document_id,
        p.line_number,
        h.document_number,
        h.document_date as event_ts,
        h.counterparty_id,
        h.contract_id,
        p.supplier_order_id,
        p.amount,
        '2100' as account_code
    from receipt_parts as p
    inner join {{ ref('stg_onec_trade__receipts') }} as h on p.document_id = h.receipt_id
),

service_totals as (
    select
        l.service_purchase_id as document_id,
        sum(round(l.amount * coalesce(r.rub_per_unit, 1), 2)) as amount
    from {{ ref('stg_onec_trade__service_purchase_lines') }} as l
    inner join {{ ref('stg_onec_trade__service_purchases') }} as h on l.service_purchase_id = h.service_purchase_id
    left join rates as r on h.currency_id = r.currency_id and h.document_date::date = r.rate_date
    group by l.service_purchase_id
),

services as (
    select
        true as is_item,
        'service' as event_kind,
        'ПриобретениеУслугПрочихАктивов' as document_type,
        h.service_purchase_id as document_id,
        0 as line_number,
        h.document_number,
        h.document_date as event_ts,
        h.counterparty_id,
        h.contract_id,
        null::uuid as supplier_order_id,
        t.amount,
        '2100' as account_code
    from service_totals as t
    inner join {{ ref('stg_onec_trade__service_purchases') }} as h on t.document_id = h.service_purchase_id
),

declarations as (
    select
        true as is_item,
        'customs' as event_kind,
        'ТаможеннаяДекларацияИмпорт' as document_type,
        customs_declaration_id as document_id,
        0 as line_number,
        document_number,
        document_date as event_ts,
        counterparty_id,
        contract_id,
        null::uuid as supplier_order_id,
        coalesce(duty_amount, 0) + coalesce(customs_fee, 0) + coalesce(vat_amount, 0) as amount,
        '2100' as account_code
    from {{ ref('stg_onec_trade__customs_declarations') }}
),

accruals as (
    select
        true as is_item,
        'expense_accrual' as event_kind,
        'ПрочиеРасходы' as document_type,
        h.expense_accrual_id as document_id,
        0 as line_number,
        h.document_number,
        h.document_date as event_ts,
        h.counterparty_id,
        null::uuid as contract_id,
        null::uuid as supplier_order_id,
        h.document_amount as amount,
        coalesce(x.credit_account_code, '2100') as account_code
    from {{ ref('stg_onec_trade__expense_accruals') }} as h
    left join {{ ref('stg_onec_trade__expense_articles') }} as a on h.expense_article_id = a.expense_article_id
    left join {{ ref('ledger_expense_accounts') }} as x on a.name = x.expense_article
),

-- money out pays the supplier (a credit here); money in from a supplier (a refund, a loan) is an item
payments as (
    select
        p.money_flow = 'in' as is_item,
        case when p.money_flow = 'out' then 'payment' else 'money_in' end as event_kind,
        p.document_type,
        p.document_id,
        p.line_number,
        p.document_number,
        p.document_date as event_ts,
        p.counterparty_id,
        p.contract_id,
        case when p.order_type = 'Document_ЗаказПоставщику' then p.order_id end as supplier_order_id,
        p.amount,
        p.settlement_account_code as account_code
    from {{ receivables_money_lines() }} as p
    where p.settlement_account_code in ('2100', '2200')
),

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
        null::uuid as supplier_order_id,
        abs(l.amount) as amount,
        '2100' as account_code
    from {{ ref('stg_onec_trade__opening_settlements') }} as l
    inner join {{ ref('stg_onec_trade__opening_balances') }} as h on l.opening_balance_id = h.opening_balance_id
    where h.balance_kind = 'ОстаткиРасчетовСПоставщиками' and l.amount != 0
),

-- the ledger's exchange differences: when a foreign-currency key is settled in its currency, the roubles
-- left on it are cleared (int_ledger__fx_differences); here they close the same residual item or advance
fx_differences as (
    select
        amount < 0 as is_item,
        'fx_difference' as event_kind,
        document_type,
        document_id,
        -- negative lines: never a line of the settling document itself
        -row_number() over (partition by document_id order by posting_id)::integer as line_number,
        document_number,
        entry_date::timestamp + interval '1 day' - interval '1 second' as event_ts,
        counterparty_id,
        contract_id,
        settlement_order_id as supplier_order_id,
        abs(amount) as amount,
        account_code
    from {{ ref('int_ledger__fx_differences') }}
    where entry_key = 'settlement' and account_code in ('2100', '2200')
),

-- materialized: planned through the union, the joins below became nested loops over every event
events as materialized (
    select * from receipts
    union all
    select * from services
    union all
    select * from declarations
    union all
    select * from accruals
    union all
    select * from payments
    union all
    select * from opening
    union all
    select * from fx_differences
),

keyed as (
    select
        e.*,
        coalesce(e.contract_id, d.contract_id) as settlement_contract_id
    from events as e
    left join default_contracts as d on e.counterparty_id = d.counterparty_id
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
    e.settlement_contract_id as contract_id,
    case when c.settles_by_order then e.supplier_order_id end as key_order_id,
    e.supplier_order_id,
    case
        when e.is_item and e.event_kind = 'opening_debt' then coalesce(o.payment_terms_days::date, e.event_ts::date)
        when e.is_item and e.event_kind in ('money_in', 'fx_difference') then e.event_ts::date
        when e.is_item then e.event_ts::date + coalesce(c.payment_terms_days, 0)::integer
    end as due_date,
    e.amount::numeric(18, 2) as amount,
    null::uuid as target_document_id,
    case
        when e.is_item then null
        when e.event_kind in ('payment', 'fx_difference') then e.event_kind
        else 'opening'
    end as credit_source,
    e.account_code
from keyed as e
left join contracts as c on e.settlement_contract_id = c.contract_id
left join {{ ref('stg_onec_trade__opening_settlements') }} as o
    on e.event_kind = 'opening_debt' and e.document_id = o.opening_balance_id and e.line_number = o.line_number
