-- DOMAIN.md 4.1: every posting balances (Σ debit = Σ credit per posting_id), every entry is one-sided and
-- positive, and the whole ledger balances in every month, to the kopeck. Returns the failing postings/months.
-- An incremental build checks the months it rewrote (a posting is dated one day); a full build every month.
{%- set from_month = rebuilt_from('fct_ledger_entries') %}
select
    'posting' as scope,
    posting_id as what,
    sum(debit) as debit,
    sum(credit) as credit
from {{ ref('fct_ledger_entries') }}
where month >= {{ from_month }}
group by posting_id
having sum(debit) != sum(credit)
union all
select
    'month' as scope,
    month::text as what,
    sum(debit) as debit,
    sum(credit) as credit
from {{ ref('fct_ledger_entries') }}
where month >= {{ from_month }}
group by month
having sum(debit) != sum(credit)
union all
select
    'entry' as scope,
    entry_id as what,
    debit,
    credit
from {{ ref('fct_ledger_entries') }}
where
    month >= {{ from_month }}
    and (
        debit < 0 or credit < 0
        or debit != 0 and credit != 0
        or debit = 0 and credit = 0
        or amount != debit - credit
    )
