-- Shipments (Document_РеализацияТоваровУслуг): Dr 1300 gross / Cr 9000 net, Cr 2400 VAT. Customer returns
-- (Document_ВозвратТоваровОтКлиента): Dr 9010 net, Dr 2400 VAT / Cr 1300 gross. Settlement key = contract
-- (+ the customer order where the contract settles by order). Gross = amount × the rate of the date,
-- net = (amount − VAT) × rate (the revenue of int_sales_lines), VAT = gross − net. The cost side of both
-- is int_ledger__cost_of_sales.
with rates as (
    select
        currency_id,
        rate_date,
        rub_per_unit
    from {{ ref('int_currency_rates_daily') }}
),

docs as (
    select
        'shipment' as event,  -- noqa: RF04
        'РеализацияТоваровУслуг' as document_type,
        s.shipment_id as document_id,
        s.document_number,
        s.document_date,
        s.counterparty_id,
        s.contract_id,
        s.customer_order_id,
        s.division_id,
        s.currency_id,
        1 as sign
    from {{ ref('stg_onec_trade__shipments') }} as s
    union all
    select
        'customer_return' as event,  -- noqa: RF04
        'ВозвратТоваровОтКлиента' as document_type,
        r.customer_return_id as document_id,
        r.document_number,
        r.document_date,
        r.counterparty_id,
        r.contract_id,
        r.customer_order_id,
        r.division_id,
        r.currency_id,
        -1 as sign
    from {{ ref('stg_onec_trade__customer_returns') }} as r
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
        shipment_id as document_id,
        line_number,
        item_id,
        series_id,
        amount,
        vat_amount
    from {{ ref('stg_onec_trade__shipment_lines') }}
    union all
    select
        customer_return_id as document_id,
        line_number,
        item_id,
        series_id,
        amount,
        vat_amount
    from {{ ref('stg_onec_trade__customer_return_lines') }}
),

lines as (
    select
        d.*,
        l.line_number,
        l.item_id,
        l.series_id,
        o.deal_id,
        coalesce(d.division_id, o.division_id) as line_division_id,
        case when c.settlement_detail = 'ПоЗаказам' then d.customer_order_id end as settlement_order_id,
        round(l.amount * d.rate, 2) as gross,
        l.amount as gross_in_currency,
        round((l.amount - coalesce(l.vat_amount, 0)) * d.rate, 2) as net
    from doc_lines as l
    inner join rated_docs as d on l.document_id = d.document_id
    left join {{ ref('stg_onec_trade__contracts') }} as c on d.contract_id = c.contract_id
    left join {{ ref('stg_onec_trade__customer_orders') }} as o on d.customer_order_id = o.customer_order_id
),

-- one pass over the lines (a CTE read once is inlined: an incremental ledger build's date reaches the
-- document scans, where three reads of it would compute every line in history first)
entries as (
    select
        l.*,
        e.entry_key,
        e.account_code,
        e.amount
    from lines as l
    cross join lateral (
        values
        ('receivable', '1300', l.sign * l.gross),
        ('revenue', case when l.sign = 1 then '9000' else '9010' end, -l.sign * l.net),
        ('vat', '2400', -l.sign * (l.gross - l.net))
    ) as e (entry_key, account_code, amount)
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
    case when account_code = '1300' then settlement_order_id end as settlement_order_id,
    customer_order_id,
    deal_id,
    line_division_id as division_id,
    item_id,
    series_id,
    null::uuid as cash_flow_article_id,
    null::uuid as expense_article_id,
    case when account_code = '1300' then sign * gross_in_currency end::numeric(18, 2) as currency_amount
from entries
where amount != 0
