-- The management chart of accounts, as the ledger and the statements use it.
select
    account_code,
    account_name,
    account_name_ru,
    account_class,
    normal_balance,
    statement,
    section,
    sort_order,
    -- +1 where a debit increases the account's presented balance, -1 where a credit does
    case normal_balance when 'debit' then 1 else -1 end as debit_sign
from {{ ref('chart_of_accounts') }}
