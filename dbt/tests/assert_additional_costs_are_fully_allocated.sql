-- DOMAIN.md 4.6: allocated additional costs sum to their documents, to the kopeck. The only costs
-- left without a series are those on a truck load or declaration whose goods are not received yet
-- (in transit: they are allocated once the receipt creates the series). Any row returned fails.
with allocated as (
    select
        c.cost_document_id,
        c.cost_line_number,
        c.cost_object_type,
        c.cost_object_id,
        c.amount,
        coalesce(sum(a.allocated_amount), 0) as allocated
    from {{ ref('int_additional_costs') }} as c
    left join {{ ref('int_cost_allocations') }} as a
        on c.cost_document_id = a.cost_document_id and c.cost_line_number = a.cost_line_number
    group by c.cost_document_id, c.cost_line_number, c.cost_object_type, c.cost_object_id, c.amount
)

select *
from allocated
where
    allocated != amount
    and not (
        allocated = 0
        and not exists (
            select 1
            from {{ ref('int_allocation_targets') }} as t
            where t.cost_object_id = allocated.cost_object_id
        )
    )
