-- DOMAIN.md 4.6: every indirect expense accrual line is allocated (or left unallocated in a month
-- without shipments) to the kopeck: Σ shares = the accrual line, nothing lost or created. An incremental
-- build checks the months it rewrote (an accrual is allocated in its own month).
{%- set from_month = rebuilt_from('fct_overhead_allocation') %}
with accrued as (
    select
        l.expense_accrual_id,
        l.line_number,
        l.amount
    from {{ ref('stg_onec_trade__expense_accrual_lines') }} as l
    inner join {{ ref('stg_onec_trade__expense_accruals') }} as h on l.expense_accrual_id = h.expense_accrual_id
    inner join {{ ref('stg_onec_trade__expense_articles') }} as a on h.expense_article_id = a.expense_article_id
    where
        a.is_indirect and l.amount != 0
        and h.document_date >= {{ from_month }}
),

allocated as (
    select
        expense_accrual_id,
        line_number,
        sum(amount) as amount
    from {{ ref('fct_overhead_allocation') }}
    where month >= {{ from_month }}
    group by expense_accrual_id, line_number
)

select
    coalesce(a.expense_accrual_id, o.expense_accrual_id) as expense_accrual_id,
    coalesce(a.line_number, o.line_number) as line_number,
    a.amount as accrued,
    o.amount as allocated
from accrued as a
full outer join allocated as o on a.expense_accrual_id = o.expense_accrual_id and a.line_number = o.line_number
where a.amount is distinct from o.amount
