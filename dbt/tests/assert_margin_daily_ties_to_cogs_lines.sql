-- rpt_margin_daily sums the cost-of-goods-sold lines without losing or doubling any: per day, division and
-- manager, its line count, revenue, cost and overhead equal the lines' to the kopeck (the lines counted
-- plus, the summary minus: every difference must net to zero).
with both_sides as (
    select
        document_date,
        division_id,
        manager_id,
        1 as cogs_lines,
        revenue as net_revenue,
        cost as cogs,
        overhead
    from {{ ref('fct_cogs_lines') }}
    union all
    select
        document_date,
        division_id,
        manager_id,
        -cogs_lines as cogs_lines,
        -net_revenue as net_revenue,
        -cogs as cogs,
        -overhead as overhead
    from {{ ref('rpt_margin_daily') }}
)

select
    document_date,
    division_id,
    manager_id,
    sum(cogs_lines) as lines_difference,
    sum(net_revenue) as revenue_difference,
    sum(cogs) as cost_difference,
    sum(overhead) as overhead_difference
from both_sides
group by document_date, division_id, manager_id
having sum(cogs_lines) != 0 or sum(net_revenue) != 0 or sum(cogs) != 0 or sum(overhead) != 0
