{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_incremental_window(ref('int_sales_lines'), 'document_date') }}",
    indexes=[{'columns': ['month']}, {'columns': ['cogs_line_id']}],
) }}

-- Indirect expenses (articles flagged Косвенный) allocated each month to divisions and, within them, to
-- that month's shipment lines (each series part) by the article's driver from seeds/overhead_drivers.csv
-- (DOMAIN.md 3.1; rules in tests/known_answers/README.md 1.4). A division without shipments that month
-- passes its amount to all the month's shipment lines; a month without shipments leaves it
-- unallocated (a row with no target), never pushed into another month. Shares are rounded to kopecks and
-- the remainder goes to the largest base (the first line on a tie), so each accrual line is allocated
-- exactly.
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

divisions_with_sales as (
    select distinct
        month,
        division_id
    from targets
),

months_with_sales as (
    select distinct month
    from targets
),

scoped as (
    select
        a.*,
        case
            when ds.division_id is not null then 'none'
            when ms.month is not null then 'all_lines'
            else 'unallocated'
        end as fallback
    from accruals as a
    left join divisions_with_sales as ds on a.month = ds.month and a.division_id = ds.division_id
    left join months_with_sales as ms on a.month = ms.month
),

bases as (
    select
        s.*,
        t.cogs_line_id,
        t.document_date as target_date,
        t.document_number as target_number,
        t.line_number as target_line,
        t.part_number as target_part,
        case s.driver
            when 'revenue' then t.revenue
            when 'landed_cost' then t.cost
            when 'quantity' then t.quantity
            else 1
        end as base
    from scoped as s
    inner join targets as t
        on s.month = t.month and (s.fallback = 'all_lines' or s.division_id = t.division_id)
    where s.fallback != 'unallocated'
),

usable as (
    select
        *,
        case
            when sum(greatest(base, 0)) over (partition by expense_accrual_id, line_number) > 0 then greatest(base, 0)
            else 1
        end as effective_base
    from bases
),

shares as (
    select
        *,
        round(amount * effective_base / sum(effective_base) over (
            partition by expense_accrual_id, line_number
        ), 2) as rounded_share,
        row_number() over (
            partition by expense_accrual_id, line_number
            order by effective_base desc, target_date asc, target_number asc, target_line asc, target_part asc
        ) as share_rank
    from usable
),

allocated as (
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
        rounded_share + case
            when share_rank = 1 then amount - sum(rounded_share) over (partition by expense_accrual_id, line_number)
            else 0
        end as amount
    from shares
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
