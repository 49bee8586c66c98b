-- Additional (landed) costs to spread over series: service lines whose expense article goes to the
-- cost of goods (НаСебестоимостьТоваров), net of VAT, in roubles at the rate of their date; and the
-- customs fee of each declaration. The allocation base per cost type comes from seeds.
with rules as (
    select
        cost_type,
        expense_article,
        allocation_base
    from {{ ref('cost_allocation_rules') }}
),

service_costs as (
    select
        p.service_purchase_id as cost_document_id,
        l.line_number as cost_line_number,
        'service_purchase' as cost_document_kind,
        p.document_date as cost_date,
        a.name as expense_article,
        l.cost_object_type,
        l.cost_object_id,
        round((l.amount - coalesce(l.vat_amount, 0)) * rt.rub_per_unit, 2)::numeric(18, 2) as amount
    from {{ ref('stg_onec_trade__service_purchase_lines') }} as l
    inner join {{ ref('stg_onec_trade__service_purchases') }} as p on l.service_purchase_id = p.service_purchase_id
    inner join {{ ref('stg_onec_trade__expense_articles') }} as a on l.expense_article_id = a.expense_article_id
    left join {{ ref('int_currency_rates_daily') }} as rt
        on p.currency_id = rt.currency_id and p.document_date::date = rt.rate_date
    where a.allocation_variant = 'НаСебестоимостьТоваров'
),

customs_fees as (
    select
        customs_declaration_id as cost_document_id,
        0 as cost_line_number,
        'customs_declaration' as cost_document_kind,
        document_date as cost_date,
        'Таможенный сбор' as expense_article,
        'Document_ТаможеннаяДекларацияИмпорт' as cost_object_type,
        customs_declaration_id as cost_object_id,
        customs_fee as amount
    from {{ ref('stg_onec_trade__customs_declarations') }}
    where customs_fee != 0
),

all_costs as (
    select * from service_costs
    union all
    select * from customs_fees
)

select
    c.cost_document_id,
    c.cost_line_number,
    c.cost_document_kind,
    c.cost_date,
    c.expense_article,
    r.cost_type,
    r.allocation_base,
    c.cost_object_type,
    c.cost_object_id,
    c.amount
from all_costs as c
left join rules as r on c.expense_article = r.expense_article
