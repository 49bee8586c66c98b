-- Import customs declarations (Document_ТаможеннаяДекларацияИмпорт): Dr 1200 the duty of each line (to its
-- series) and the customs fee, Dr 1400 the import VAT / Cr 2100 the customs authority on the contract's key.
-- Roubles (customs is paid in the base currency).
with docs as (
    select
        customs_declaration_id,
        document_number,
        document_date,
        counterparty_id,
        contract_id,
        customs_fee,
        vat_amount
    from {{ ref('stg_onec_trade__customs_declarations') }}
),

duties as (
    select
        customs_declaration_id,
        sum(duty_amount) as duty
    from {{ ref('stg_onec_trade__customs_declaration_lines') }}
    group by customs_declaration_id
),

entries as (
    select
        l.customs_declaration_id,
        l.line_number,
        'duty' as entry_key,
        '1200' as account_code,
        l.duty_amount as amount,
        l.item_id,
        l.series_id
    from {{ ref('stg_onec_trade__customs_declaration_lines') }} as l
    union all
    select
        d.customs_declaration_id,
        0 as line_number,
        'fee' as entry_key,
        '1200' as account_code,
        d.customs_fee as amount,
        null::uuid as item_id,
        null::uuid as series_id
    from docs as d
    union all
    select
        d.customs_declaration_id,
        0 as line_number,
        'vat' as entry_key,
        '1400' as account_code,
        d.vat_amount as amount,
        null::uuid as item_id,
        null::uuid as series_id
    from docs as d
    union all
    select
        d.customs_declaration_id,
        0 as line_number,
        'payable' as entry_key,
        '2100' as account_code,
        -(d.customs_fee + d.vat_amount + coalesce(t.duty, 0)) as amount,
        null::uuid as item_id,
        null::uuid as series_id
    from docs as d
    left join duties as t on d.customs_declaration_id = t.customs_declaration_id
)

select
    'customs:' || d.customs_declaration_id as posting_id,
    e.line_number || ':' || e.entry_key as entry_key,
    d.document_date::date as entry_date,
    'ТаможеннаяДекларацияИмпорт'::text as document_type,
    d.customs_declaration_id as document_id,
    d.document_number,
    'customs'::text as event,  -- noqa: RF04
    e.line_number,
    e.account_code::text as account_code,
    e.amount::numeric(18, 2) as amount,
    d.counterparty_id,
    d.contract_id,
    null::uuid as settlement_order_id,
    null::uuid as customer_order_id,
    null::uuid as deal_id,
    null::uuid as division_id,
    e.item_id,
    e.series_id,
    null::uuid as cash_flow_article_id,
    null::uuid as expense_article_id,
    null::numeric(18, 2) as currency_amount
from entries as e
inner join docs as d on e.customs_declaration_id = d.customs_declaration_id
where e.amount != 0
