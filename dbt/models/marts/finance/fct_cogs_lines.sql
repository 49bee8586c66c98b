{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_incremental_window(ref('int_cogs_lines'), 'document_date') }}",
    indexes=[
        {'columns': ['month']},
        {'columns': ['document_date']},
        {'columns': ['customer_order_id']},
        {'columns': ['deal_id']},
        {'columns': ['series_id']},
    ],
) }}

-- Cost of goods sold per shipment part, return line and late cost, with the overhead allocated to
-- each shipment part (fct_overhead_allocation): landed cost + overhead = fully loaded cost.
-- Month-incremental (macros/incremental_window.sql): a line's cost is its series' cost as known on its
-- date, and a late cost is booked on its own date (closed months are not restated), so a load can change
-- only the months from the lookback on; its overhead is allocated in the same month.
with overhead as (
    select
        cogs_line_id,
        sum(amount) as overhead
    from {{ ref('fct_overhead_allocation') }}
    where cogs_line_id is not null and month >= {{ incremental_window_start() }}
    group by cogs_line_id
)

select
    c.cogs_line_id,
    c.kind,
    c.document_type,
    c.document_id,
    c.document_number,
    c.document_date,
    c.month,
    c.line_number,
    c.part_number,
    c.customer_order_id,
    c.deal_id,
    c.division_id,
    c.counterparty_id,
    c.contract_id,
    c.manager_id,
    c.item_id,
    c.series_id,
    c.resolution,
    c.is_beyond_stock,
    c.charged_part_id,
    c.quantity,
    c.revenue,
    c.gross_amount,
    c.unit_cost,
    c.cost,
    coalesce(o.overhead, 0)::numeric(18, 2) as overhead
from {{ ref('int_cogs_lines') }} as c
left join overhead as o on c.cogs_line_id = o.cogs_line_id
where c.month >= {{ incremental_window_start() }}
