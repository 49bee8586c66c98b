{{ config(materialized="table") }}  -- computed once: as a view, each test filtering it was planned into nested loops
-- Direct deal costs (DOMAIN.md 3.4, README 1.4): service purchase lines whose expense article is distributed
-- to a customer order (ВариантРаспределенияРасходов = НаЗаказКлиента) and that are attached to one; net of VAT,
-- roubles at the rate of the document date; to the order's deal. The ledger posts them Dr 9210 (the same
-- figures: int_ledger__service_purchases).
with lines as (
    select
        p.service_purchase_id as document_id,
        p.document_number,
        p.document_date,
        l.line_number,
        o.customer_order_id,
        o.deal_id,
        coalesce(o.division_id, l.division_id) as division_id,
        p.counterparty_id,
        p.contract_id,
        l.expense_article_id,
        a.name as article_name,
        l.amount,
        coalesce(l.vat_amount, 0) as vat_amount,
        coalesce(rt.rub_per_unit, case when p.currency_id is null then 1 end) as rate
    from {{ ref('stg_onec_trade__service_purchase_lines') }} as l
    inner join {{ ref('stg_onec_trade__service_purchases') }} as p on l.service_purchase_id = p.service_purchase_id
    inner join {{ ref('stg_onec_trade__expense_articles') }} as a on l.expense_article_id = a.expense_article_id
    inner join {{ ref('stg_onec_trade__customer_orders') }} as o
        on l.cost_object_type = 'Document_ЗаказКлиента' and l.cost_object_id = o.customer_order_id
    left join {{ ref('int_currency_rates_daily') }} as rt
        on p.currency_id = rt.currency_id and p.document_date::date = rt.rate_date
    where a.allocation_variant = 'НаЗаказКлиента'
)

select
    document_id,
    document_number,
    document_date,
    line_number,
    customer_order_id,
    deal_id,
    division_id,
    counterparty_id,
    contract_id,
    expense_article_id,
    article_name,
    round((amount - vat_amount) * rate, 2)::numeric(18, 2) as amount_net,
    round(vat_amount * rate, 2)::numeric(18, 2) as vat
from lines
