-- Balance-sheet accounts are assets, liabilities or equity; P&L accounts are income
-- or expense; the code's first digit agrees with the class. Any row returned fails.
select
    account_code,
    account_class,
    statement
from {{ ref('dim_accounts') }}
where
    (statement = 'balance_sheet') != (account_class in ('asset', 'liability', 'equity'))
    or (left(account_code, 1) = '1') != (account_class = 'asset')
    or (left(account_code, 1) = '2') != (account_class = 'liability')
    or (left(account_code, 1) = '3') != (account_class = 'equity')
    or (left(account_code, 1) = '9') != (statement = 'pnl')
