-- Every amount that makes up a series' landed cost, on its own date: the base cost (receipt or opening
-- stock), each allocated additional cost (on the cost document's date, which may be before the goods
-- arrive or after some were sold) and the customs duty of its declaration lines. The cost of a series
-- "as known on day D" is the sum of its events dated on or before D.
select
    series_id,
    received_at::date as event_date,
    'base' as event_kind,
    origin_document_id as document_id,
    origin_line_number as line_number,
    'base' as cost_type,
    base_cost as amount
from {{ ref('int_series') }}

union all

select
    series_id,
    cost_date::date as event_date,
    'additional_cost' as event_kind,
    cost_document_id as document_id,
    cost_line_number as line_number,
    cost_type,
    allocated_amount as amount
from {{ ref('int_cost_allocations') }}

union all

select
    l.series_id,
    d.document_date::date as event_date,
    'customs_duty' as event_kind,
    l.customs_declaration_id as document_id,
    l.line_number,
    'customs_duty' as cost_type,
    l.duty_amount as amount
from {{ ref('stg_onec_trade__customs_declaration_lines') }} as l
inner join {{ ref('stg_onec_trade__customs_declarations') }} as d
    on l.customs_declaration_id = d.customs_declaration_id
where l.series_id is not null and l.duty_amount != 0
