-- Expense accruals (Document_ПрочиеРасходы), one line per division: Dr 9200 by expense article / Cr 2100 the
-- vendor, or Cr 2200 for the articles of seeds/ledger_expense_accounts (payroll). The document names no
-- contract: the vendor's settlement key is its supplier contract (the first by code), so that the accrual
-- and the payment meet on one key.
with docs as (
    select
        a.expense_accrual_id,
        a.document_number,
        a.document_date,
        a.counterparty_id,
        a.expense_article_id,
        coalesce(x.credit_account_code, '2100') as credit_account_code,
        (
            select c.contract_id
            from {{ ref('stg_onec_trade__contracts') }} as c
            where c.counterparty_id = a.counterparty_id
            order by c.contract_kind = 'СПоставщиком' desc, c.code, c.contract_id asc
            limit 1
        ) as contract_id
    from {{ ref('stg_onec_trade__expense_accruals') }} as a
    left join {{ ref('stg_onec_trade__expense_articles') }} as e on a.expense_article_id = e.expense_article_id
    left join {{ ref('ledger_expense_accounts') }} as x on e.name = x.expense_article
),

lines as (
    select
        d.*,
        l.line_number,
        l.division_id,
        l.amount
    from {{ ref('stg_onec_trade__expense_accrual_lines') }} as l
    inner join docs as d on l.expense_accrual_id = d.expense_accrual_id
),

entries as (
    select
        *,
        'expense' as entry_key,
        '9200' as account_code,
        amount as entry_amount
    from lines
    union all
    select
        *,
        'payable' as entry_key,
        credit_account_code as account_code,
        -amount as entry_amount
    from lines
)

select
    'expense_accrual:' || expense_accrual_id as posting_id,
    line_number || ':' || entry_key as entry_key,
    document_date::date as entry_date,
    'ПрочиеРасходы'::text as document_type,
    expense_accrual_id as document_id,
    document_number,
    'expense_accrual'::text as event,  -- noqa: RF04
    line_number,
    account_code::text as account_code,
    entry_amount::numeric(18, 2) as amount,
    counterparty_id,
    contract_id,
    null::uuid as settlement_order_id,
    null::uuid as customer_order_id,
    null::uuid as deal_id,
    division_id,
    null::uuid as item_id,
    null::uuid as series_id,
    null::uuid as cash_flow_article_id,
    expense_article_id,
    null::numeric(18, 2) as currency_amount
from entries
where entry_amount != 0
