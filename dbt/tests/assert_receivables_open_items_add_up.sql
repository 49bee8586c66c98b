-- The ageing conserves money: at every as-of date and for every counterparty and contract, the open items
-- less the advances in fct_receivables_open_items equal the items less the credits dated on or before
-- the date (whatever the matching did), and no item is open beyond its amount or below zero.
with events as (
    select
        d.as_of_date,
        e.counterparty_id,
        e.contract_id,
        sum(case when e.is_item then e.amount else -e.amount end) as balance
    from {{ ref('int_receivable_as_of_dates') }} as d
    inner join {{ ref('int_receivable_events') }} as e on d.as_of_date >= e.document_date
    group by d.as_of_date, e.counterparty_id, e.contract_id
),

ageing as (
    select
        as_of_date,
        counterparty_id,
        contract_id,
        sum(open_amount) as balance,
        count(*) filter (
            where
            (item_kind = 'open_item' and (open_amount <= 0 or open_amount > original_amount))
            or (item_kind = 'advance' and (open_amount >= 0 or open_amount < original_amount))
        ) as bad_rows
    from {{ ref('fct_receivables_open_items') }}
    group by as_of_date, counterparty_id, contract_id
)

select
    coalesce(e.as_of_date, a.as_of_date) as as_of_date,
    coalesce(e.counterparty_id, a.counterparty_id) as counterparty_id,
    coalesce(e.contract_id, a.contract_id) as contract_id,
    e.balance as event_balance,
    a.balance as ageing_balance,
    a.bad_rows
from events as e
full outer join ageing as a
    on
        e.as_of_date = a.as_of_date
        and {{ same_key('e.counterparty_id', 'a.counterparty_id') }}
        and {{ same_key('e.contract_id', 'a.contract_id') }}
where coalesce(e.balance, 0) != coalesce(a.balance, 0) or a.bad_rows > 0
