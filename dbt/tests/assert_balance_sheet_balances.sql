-- DOMAIN.md 4.2: assets = liabilities + equity at every month end, to the kopeck; and every total is the sum
-- of its section's lines. Returns the failing month ends.
with totals as (
    select
        month_end,
        sum(amount) filter (where line = 'total_assets') as total_assets,
        sum(amount) filter (where line = 'total_liabilities') as total_liabilities,
        sum(amount) filter (where line = 'total_equity') as total_equity,
        sum(amount) filter (where line = 'total_liabilities_and_equity') as total_liabilities_and_equity,
        sum(amount) filter (where section = 'assets') as assets,
        sum(amount) filter (where section = 'liabilities') as liabilities,
        sum(amount) filter (where section = 'equity') as equity
    from {{ ref('rpt_balance_sheet') }}
    group by month_end
)

select *
from totals
where
    total_assets is distinct from total_liabilities_and_equity
    or total_assets is distinct from assets
    or total_liabilities is distinct from liabilities
    or total_equity is distinct from equity
    or total_liabilities_and_equity is distinct from liabilities + equity
