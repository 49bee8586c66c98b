-- A series whose every unit has left (shipped net of returns) keeps no value: the movement that emptied
-- it took exactly what was left, so cost events − cost of goods sold = 0 to the kopeck. And no series
-- ever holds a negative value or more units out than it received.
with cost_events as (
    select
        series_id,
        sum(amount) as landed_total
    from {{ ref('int_series_cost_events') }}
    group by series_id
),

sold as (
    select
        series_id,
        sum(quantity) as quantity_out,
        sum(cost) as cost_out
    from {{ ref('fct_cogs_lines') }}
    where series_id is not null
    group by series_id
)

select
    s.series_id,
    s.quantity,
    coalesce(o.quantity_out, 0) as quantity_out,
    coalesce(e.landed_total, 0) - coalesce(o.cost_out, 0) as value_left
from {{ ref('int_series') }} as s
left join cost_events as e on s.series_id = e.series_id
left join sold as o on s.series_id = o.series_id
where
    (s.quantity = coalesce(o.quantity_out, 0) and coalesce(e.landed_total, 0) != coalesce(o.cost_out, 0))
    or coalesce(e.landed_total, 0) < coalesce(o.cost_out, 0)
    or s.quantity < coalesce(o.quantity_out, 0)
