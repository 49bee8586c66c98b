-- rpt_open_pipeline counts every open deal once and sums its value to the kopeck: per division, manager and
-- channel, the deals counted plus, the summary minus, must net to zero.
with both_sides as (
    select
        division_id,
        manager_id,
        lead_channel,
        1 as open_deals,
        coalesce(deal_value, expected_revenue, 0) as open_value
    from {{ ref('fct_deals') }}
    where not is_won and not is_lost
    union all
    select
        division_id,
        manager_id,
        lead_channel,
        -open_deals as open_deals,
        -open_value as open_value
    from {{ ref('rpt_open_pipeline') }}
)

select
    division_id,
    manager_id,
    lead_channel,
    sum(open_deals) as deals_difference,
    sum(open_value) as value_difference
from both_sides
group by division_id, manager_id, lead_channel
having sum(open_deals) != 0 or sum(open_value) != 0
