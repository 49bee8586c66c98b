{#-
    Every money document line (bank and cash desk, in and out) with the settlement account it moves, chosen
    by seeds/ledger_payment_rules.csv exactly as the ledger chooses it (int_ledger__payments): by direction,
    business operation and cash-flow article, the lowest priority first. 1300 = customers, 2100 = suppliers
    and vendors, 2200 = payroll and other payables; amount in roubles at the payment date's rate.
    Usage: select ... from {{ receivables_money_lines() }} as p where p.settlement_account_code = '1300'
-#}
{% macro receivables_money_lines() -%}
(
    select
        l.document_type,
        l.money_flow,
        l.document_id,
        l.document_number,
        l.document_date,
        l.counterparty_id,
        l.operation,
        l.line_number,
        l.contract_id,
        l.order_id,
        l.order_type,
        round(l.amount * coalesce(r.rub_per_unit, 1), 2) as amount,
        rule.counter_account_code as settlement_account_code
    from (
        select
            'ПоступлениеБезналичныхДенежныхСредств' as document_type,
            'in' as money_flow,
            h.bank_receipt_id as document_id,
            h.document_number,
            h.document_date,
            h.counterparty_id,
            h.currency_id,
            h.operation,
            l.line_number,
            l.contract_id,
            l.order_id,
            l.order_type,
            l.cash_flow_article_id,
            l.amount
        from {{ ref('stg_onec_trade__bank_receipt_lines') }} as l
        inner join {{ ref('stg_onec_trade__bank_receipts') }} as h on l.bank_receipt_id = h.bank_receipt_id
        union all
        select
            'СписаниеБезналичныхДенежныхСредств' as document_type,
            'out' as money_flow,
            h.bank_payment_id as document_id,
            h.document_number,
            h.document_date,
            h.counterparty_id,
            h.currency_id,
            h.operation,
            l.line_number,
            l.contract_id,
            l.order_id,
            l.order_type,
            l.cash_flow_article_id,
            l.amount
        from {{ ref('stg_onec_trade__bank_payment_lines') }} as l
        inner join {{ ref('stg_onec_trade__bank_payments') }} as h on l.bank_payment_id = h.bank_payment_id
        union all
        select
            'ПриходныйКассовыйОрдер' as document_type,
            'in' as money_flow,
            h.cash_receipt_id as document_id,
            h.document_number,
            h.document_date,
            h.counterparty_id,
            h.currency_id,
            h.operation,
            l.line_number,
            l.contract_id,
            l.order_id,
            l.order_type,
            l.cash_flow_article_id,
            l.amount
        from {{ ref('stg_onec_trade__cash_receipt_lines') }} as l
        inner join {{ ref('stg_onec_trade__cash_receipts') }} as h on l.cash_receipt_id = h.cash_receipt_id
        union all
        select
            'РасходныйКассовыйОрдер' as document_type,
            'out' as money_flow,
            h.cash_payment_id as document_id,
            h.document_number,
            h.document_date,
            h.counterparty_id,
            h.currency_id,
            h.operation,
            l.line_number,
            l.contract_id,
            l.order_id,
            l.order_type,
            l.cash_flow_article_id,
            l.amount
        from {{ ref('stg_onec_trade__cash_payment_lines') }} as l
        inner join {{ ref('stg_onec_trade__cash_payments') }} as h on l.cash_payment_id = h.cash_payment_id
    ) as l
    left join {{ ref('stg_onec_trade__cash_flow_articles') }} as a on l.cash_flow_article_id = a.cash_flow_article_id
    left join {{ ref('int_currency_rates_daily') }} as r
        on l.currency_id = r.currency_id and l.document_date::date = r.rate_date
    cross join lateral (
        select p.counter_account_code
        from {{ ref('ledger_payment_rules') }} as p
        where
            p.money_flow = l.money_flow
            and (p.operation is null or p.operation = l.operation)
            and (p.cash_flow_article is null or p.cash_flow_article = a.name)
        order by p.priority, p.operation is null, p.cash_flow_article is null
        limit 1
    ) as rule
)
{%- endmacro %}
