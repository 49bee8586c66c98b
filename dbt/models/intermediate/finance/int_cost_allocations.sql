-- Each additional cost spread over the series of its object by its base, in kopecks that add up to
-- the cost exactly: shares are rounded and the remainder goes to the line with the largest base
-- (the first line on a tie). An object whose bases are all zero splits the cost equally.
with bases as (
    select
        c.cost_document_id,
        c.cost_line_number,
        c.cost_date,
        c.cost_type,
        c.amount,
        t.series_id,
        t.line_number,
        case c.allocation_base
            when 'value' then t.value_base
            when 'gross_weight' then t.gross_weight_base
            when 'volume' then t.volume_base
            when 'quantity' then t.quantity_base
            else 1
        end as base
    from {{ ref('int_additional_costs') }} as c
    inner join {{ ref('int_allocation_targets') }} as t
        on c.cost_object_type = t.cost_object_type and c.cost_object_id = t.cost_object_id
),

usable as (
    select
        *,
        case when sum(base) over (partition by cost_document_id, cost_line_number) > 0 then base else 1 end
            as effective_base
    from bases
),

shares as (
    select
        *,
        round(amount * effective_base / sum(effective_base) over (
            partition by cost_document_id, cost_line_number
        ), 2) as rounded_share,
        row_number() over (
            partition by cost_document_id, cost_line_number order by effective_base desc, line_number asc
        ) as share_rank
    from usable
)

select
    cost_document_id,
    cost_line_number,
    cost_date,
    cost_type,
    series_id,
    line_number,
    (rounded_share + case
        when share_rank = 1
            then amount - sum(rounded_share) over (partition by cost_document_id, cost_line_number)
        else 0
    end)::numeric(18, 2) as allocated_amount
from shares
