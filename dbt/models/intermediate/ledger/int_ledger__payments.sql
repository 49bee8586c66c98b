-- Money documents, one posting per document: each decoding line (РасшифровкаПлатежа) moves cash (1010 bank,
-- 1020 cash desk) against the account of seeds/ledger_payment_rules (by direction, business operation and
-- cash-flow article): clients 1300, suppliers and vendors 2100, payroll 2200, VAT 2400. Amount × the rate of
-- the payment date. Settlement key = the line's contract (+ the order it names where the contract settles by
-- order): a payment with no open item is an advance on its key.
with rates as (
    select
        currency_id,
        rate_date,
        rub_per_unit
    from {{ ref('int_currency_rates_daily') }}
),

docs as (
    select
        'ПоступлениеБезналичныхДенежныхСредств' as document_type,
        'in' as money_flow,
        '1010' as cash_account_code,
        bank_receipt_id as document_id,
        document_number,
        document_date,
        counterparty_id,
        currency_id,
        operation
    from {{ ref('stg_onec_trade__bank_receipts') }}
    union all
    select
        'СписаниеБезналичныхДенежныхСредств' as document_type,
        'out' as money_flow,
        '1010' as cash_account_code,
        bank_payment_id as document_id,
        document_number,
        document_date,
        counterparty_id,
        currency_id,
        operation
    from {{ ref('stg_onec_trade__bank_payments') }}
    union all
    select
        'ПриходныйКассовыйОрдер' as document_type,
        'in' as money_flow,
        '1020' as cash_account_code,
        cash_receipt_id as document_id,
        document_number,
        document_date,
        counterparty_id,
        currency_id,
        operation
    from {{ ref('stg_onec_trade__cash_receipts') }}
    union all
    select
        'РасходныйКассовыйОрдер' as document_type,
        'out' as money_flow,
        '1020' as cash_account_code,
        cash_payment_id as document_id,
        document_number,
        document_date,
        counterparty_id,
        currency_id,
        operation
    from {{ ref('stg_onec_trade__cash_payments') }}
),

rated_docs as (
    select
        d.*,
        coalesce(rt.rub_per_unit, case when d.currency_id is null then 1 end) as rate
    from docs as d
    left join rates as rt on d.currency_id = rt.currency_id and d.document_date::date = rt.rate_date
),

doc_lines as (
    select
        bank_receipt_id as document_id,
        line_number,
        order_id,
        order_type,
        contract_id,
        cash_flow_article_id,
        amount
    from {{ ref('stg_onec_trade__bank_receipt_lines') }}
    union all
    select
        bank_payment_id as document_id,
        line_number,
        order_id,
        order_type,
        contract_id,
        cash_flow_article_id,
        amount
    from {{ ref('stg_onec_trade__bank_payment_lines') }}
    union all
    select
        cash_receipt_id as document_id,
        line_number,
        order_id,
        order_type,
        contract_id,
        cash_flow_article_id,
        amount
    from {{ ref('stg_onec_trade__cash_receipt_lines') }}
    union all
    select
        cash_payment_id as document_id,
        line_number,
        order_id,
        order_type,
        contract_id,
        cash_flow_article_id,
        amount
    from {{ ref('stg_onec_trade__cash_payment_lines') }}
),

lines as (
    select
        d.*,
        l.line_number,
        l.order_id,
        l.contract_id,
        l.cash_flow_article_id,
        a.name as cash_flow_article,
        o.customer_order_id,
        o.deal_id,
        o.division_id,
        case when c.settlement_detail = 'ПоЗаказам' then l.order_id end as settlement_order_id,
        round(l.amount * d.rate, 2) as amount_rub,
        l.amount as amount_in_currency
    from doc_lines as l
    inner join rated_docs as d on l.document_id = d.document_id
    left join {{ ref('stg_onec_trade__contracts') }} as c on l.contract_id = c.contract_id
    left join {{ ref('stg_onec_trade__cash_flow_articles') }} as a on l.cash_flow_article_id = a.cash_flow_article_id
    left join {{ ref('stg_onec_trade__customer_orders') }} as o
        on l.order_type = 'Document_ЗаказКлиента' and l.order_id = o.customer_order_id
),

ruled as (
    select
        l.*,
        matched_rule.event,
        matched_rule.counter_account_code
    from lines as l
    cross join
        lateral (
            select
                p.event,
                p.counter_account_code
            from {{ ref('ledger_payment_rules') }} as p
            where
                p.money_flow = l.money_flow
                and (p.operation is null or p.operation = l.operation)
                and (p.cash_flow_article is null or p.cash_flow_article = l.cash_flow_article)
            order by p.priority, p.operation is null, p.cash_flow_article is null
            limit 1
        ) as matched_rule
    where matched_rule.counter_account_code is not null
),

entries as (
    select
        *,
        'cash' as entry_key,
        cash_account_code as account_code,
        case when money_flow = 'in' then amount_rub else -amount_rub end as amount
    from ruled
    union all
    select
        *,
        'counter' as entry_key,
        counter_account_code as account_code,
        case when money_flow = 'in' then -amount_rub else amount_rub end as amount
    from ruled
)

select
    event || ':' || document_id as posting_id,
    line_number || ':' || entry_key as entry_key,
    document_date::date as entry_date,
    document_type::text as document_type,
    document_id,
    document_number,
    event::text as event,  -- noqa: RF04
    line_number,
    account_code::text as account_code,
    amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    case when account_code in ('1300', '2100') then settlement_order_id end as settlement_order_id,
    customer_order_id,
    deal_id,
    division_id,
    null::uuid as item_id,
    null::uuid as series_id,
    cash_flow_article_id,
    null::uuid as expense_article_id,
    case
        when entry_key = 'counter' and money_flow = 'in' then -amount_in_currency
        when entry_key = 'counter' then amount_in_currency
    end::numeric(18, 2) as currency_amount
from entries
where amount != 0
