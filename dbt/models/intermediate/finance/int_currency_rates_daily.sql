{{ config(materialized="table") }}  -- small, and joined by most money models: computed once per build
-- Roubles per one unit of each currency for every day: 1C publishes rates on working days only, so a
-- day without a rate takes the last one before it. The base currency (var base_currency) is 1 on every day
-- from the opening balances on, even before the first published rate (books opened on 1 January, whose
-- first rates come after the holidays, would otherwise have no rate at all for their first days).
with days as (
    {{ dbt.date_spine(
        'day',
        "(select coalesce(least((select min(period)::date from " ~ ref('stg_onec_trade__currency_rates')
        ~ "), min(document_date)::date), current_date) from " ~ ref('stg_onec_trade__opening_balances') ~ ")",
        "(select greatest(max(period)::date, current_date) + 1 from " ~ ref('stg_onec_trade__currency_rates') ~ ")"
    ) }}
),

published as (
    select
        currency_id,
        period::date as rate_date,
        rate / nullif(rate_units, 0) as rub_per_unit
    from {{ ref('stg_onec_trade__currency_rates') }}
),

currencies as (
    select distinct currency_id
    from published
),

every_day as (
    select
        c.currency_id,
        d.date_day::date as rate_date,
        p.rub_per_unit
    from days as d
    cross join currencies as c
    left join published as p on c.currency_id = p.currency_id and d.date_day::date = p.rate_date
),

-- each published rate opens a group of days that carries it forward
carried as (
    select
        currency_id,
        rate_date,
        rub_per_unit,
        count(rub_per_unit) over (partition by currency_id order by rate_date) as rate_group
    from every_day
)

select
    currency_id,
    rate_date,
    max(rub_per_unit) over (partition by currency_id, rate_group)::numeric(18, 6) as rub_per_unit
from carried
where rate_group > 0

union all

select
    cur.currency_id,
    d.date_day::date as rate_date,
    1::numeric(18, 6) as rub_per_unit
from {{ ref('stg_onec_trade__currencies') }} as cur
cross join days as d
where cur.name = '{{ var("base_currency") }}'
