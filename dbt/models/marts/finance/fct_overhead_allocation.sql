{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_incremental_window(ref('int_cogs_lines'), 'document_date') }}",
    indexes=[{'columns': ['month']}],
) }}

-- Indirect expenses (articles flagged Косвенный) allocated each month to divisions and, within them, to
-- that month's shipment lines (each series part) by the article's driver from seeds/overhead_drivers.csv
-- (DOMAIN.md 3.1; rules in tests/known_answers/README.md 1.4). A division without shipments that month
-- passes its amount to all the month's shipment lines; a month without shipments leaves it
-- unallocated (a row with no target), never pushed into another month. Shares are rounded to kopecks and
-- the remainder goes to the largest base (the first line on a tie), so each accrual line is allocated
-- exactly. Every accrual line meets every shipment line of its month (tens of millions of rows on a large
-- company), so the pools' totals are summed from the shipment lines once, and the pairs are only ever
-- streamed through hash joins and aggregates: no window has to sort them.
with accruals as (
    select
        h.expense_accrual_id,
        h.document_number,
        h.document_date::date as document_date,
        date_trunc('month', h.document_date)::date as month,
        l.line_number,
        h.expense_article_id,
        a.name as article_name,
        l.division_id,
        coalesce(d.driver, 'revenue') as driver,
        l.amount
    from {{ ref('stg_onec_trade__expense_accrual_lines') }} as l
    inner join {{ ref('stg_onec_trade__expense_accruals') }} as h on l.expense_accrual_id = h.expense_accrual_id
    inner join {{ ref('stg_onec_trade__expense_articles') }} as a on h.expense_article_id = a.expense_article_id
    left join {{ ref('overhead_drivers') }} as d on a.name = d.expense_article
    where
        a.is_indirect and l.amount != 0
        and h.document_date >= {{ incremental_window_start() }}
),

targets as (
    select
        cogs_line_id,
        month,
        division_id,
        document_date,
        document_number,
        line_number,
        part_number,
        revenue,
        cost,
        quantity
    from {{ ref('int_cogs_lines') }}
    where
        kind = 'shipment'
        and month >= {{ incremental_window_start() }}
),

pools as (
    -- each month's shipment lines by division, and all of them (the all_lines fallback): their number and
    -- the sums of their non-negative bases by driver
    select
        month,
        case when grouping(division_id) = 0 then division_id end as division_id,
        grouping(division_id) = 1 as is_all_lines,
        sum(greatest(revenue, 0)) as revenue,
        sum(greatest(cost, 0)) as landed_cost,
        sum(greatest(quantity, 0)) as quantity,
        count(*) as line_count
    from targets
    group by grouping sets ((month, division_id), (month))
),

scoped as (
    select
        a.*,
        case
            when division_pool.month is not null then 'none'
            when month_pool.month is not null then 'all_lines'
            else 'unallocated'
        end as fallback,
        case a.driver
            when 'revenue' then coalesce(division_pool.revenue, month_pool.revenue)
            when 'landed_cost' then coalesce(division_pool.landed_cost, month_pool.landed_cost)
            when 'quantity' then coalesce(division_pool.quantity, month_pool.quantity)
            else coalesce(division_pool.line_count, month_pool.line_count)
        end as pool_base,
        coalesce(division_pool.line_count, month_pool.line_count) as pool_lines
    from accruals as a
    left join pools as division_pool
        on
            a.month = division_pool.month and a.division_id = division_pool.division_id
            and not division_pool.is_all_lines
    left join pools as month_pool on a.month = month_pool.month and month_pool.is_all_lines
),

bases as not materialized (
    -- each accrual line against each shipment line of its pool; a pool whose bases are all zero or
    -- negative splits equally
    select
        s.*,
        t.cogs_line_id,
        t.document_date as target_date,
        t.document_number as target_number,
        t.line_number as target_line,
        t.part_number as target_part,
        case when s.pool_base > 0 then s.pool_base else s.pool_lines end as denominator,
        case
            when s.pool_base > 0
                then greatest(case s.driver
                    when 'revenue' then t.revenue
                    when 'landed_cost' then t.cost
                    when 'quantity' then t.quantity
                    else 1
                end, 0)
            else 1
        end as effective_base
    from scoped as s
    inner join targets as t
        on s.month = t.month and (s.fallback = 'all_lines' or s.division_id = t.division_id)
    where s.fallback != 'unallocated'
),

shares as not materialized (
    select
        *,
        round(amount * effective_base / denominator, 2) as rounded_share
    from bases
),

line_totals as materialized (
    select
        expense_accrual_id,
        line_number,
        sum(rounded_share) as allocated,
        max(effective_base) as largest_base
    from shares
    group by expense_accrual_id, line_number
),

-- both are one row per accrual line, computed once: inlined, a nested loop (as the planner picks when
-- it thinks the targets are few) would recompute them for every pair
remainder_targets as materialized (
    -- the line taking each accrual line's rounding remainder: the largest base, the first line on a tie
    select distinct on (sh.expense_accrual_id, sh.line_number)
        sh.expense_accrual_id,
        sh.line_number,
        sh.cogs_line_id,
        sh.amount - lt.allocated as rounding_remainder
    from shares as sh
    inner join line_totals as lt
        on
            sh.expense_accrual_id = lt.expense_accrual_id
            and sh.line_number = lt.line_number
            and sh.effective_base = lt.largest_base
    order by
        sh.expense_accrual_id asc, sh.line_number asc,
        sh.target_date asc, sh.target_number asc, sh.target_line asc, sh.target_part asc
),

allocated as (
    select
        sh.month,
        sh.expense_accrual_id,
        sh.document_number,
        sh.document_date,
        sh.line_number,
        sh.expense_article_id,
        sh.article_name,
        sh.division_id,
        sh.driver,
        sh.fallback,
        sh.cogs_line_id,
        sh.rounded_share + case when sh.cogs_line_id = r.cogs_line_id then r.rounding_remainder else 0 end as amount
    from shares as sh
    inner join remainder_targets as r
        on sh.expense_accrual_id = r.expense_accrual_id and sh.line_number = r.line_number
    union all
    select
        month,
        expense_accrual_id,
        document_number,
        document_date,
        line_number,
        expense_article_id,
        article_name,
        division_id,
        driver,
        fallback,
        null as cogs_line_id,
        amount
    from scoped
    where fallback = 'unallocated'
)

select
    month,
    expense_accrual_id,
    document_number,
    document_date,
    line_number,
    expense_article_id,
    article_name,
    division_id,
    driver,
    fallback,
    cogs_line_id,
    amount::numeric(18, 2) as amount
from allocated
