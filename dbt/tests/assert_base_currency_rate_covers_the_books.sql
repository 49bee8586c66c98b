-- The base currency converts at 1 on every day the books hold documents: from the opening balances (or the
-- first published rate, if earlier) to today. A day without it drops that day's rouble documents from the
-- ledger (their amount × no rate), which the receivables-to-ledger tie then shows as a key out of balance.
with books as (
    select
        least(
            (select min(period)::date from {{ ref('stg_onec_trade__currency_rates') }}),
            (select min(document_date)::date from {{ ref('stg_onec_trade__opening_balances') }})
        ) as first_day
),

base_days as (
    select
        min(r.rate_date) as first_rate_day,
        max(r.rate_date) as last_rate_day,
        count(*) as day_count
    from {{ ref('int_currency_rates_daily') }} as r
    inner join {{ ref('stg_onec_trade__currencies') }} as c on r.currency_id = c.currency_id
    where c.name = '{{ var("base_currency") }}'
)

select
    b.first_day,
    d.first_rate_day,
    d.last_rate_day,
    d.day_count
from books as b
cross join base_days as d
where
    b.first_day is not null
    and (
        d.first_rate_day is null or d.first_rate_day > b.first_day or d.last_rate_day < current_date
        or d.day_count != d.last_rate_day - d.first_rate_day + 1
    )
