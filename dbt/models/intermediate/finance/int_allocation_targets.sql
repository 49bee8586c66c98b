-- The series each cost object carries, with every possible allocation base: a goods receipt carries
-- its lines' series, a truck load its lines' series (with the invoice's gross weights), a customs
-- declaration its lines' series (valued at customs value).
with series as (
    select
        series_id,
        item_id,
        quantity,
        base_cost
    from {{ ref('int_series') }}
),

items as (
    select
        item_id,
        coalesce(gross_weight_kg, 0) as unit_gross_weight,
        coalesce(volume_m3, 0) as unit_volume
    from {{ ref('stg_onec_trade__items') }}
),

receipt_targets as (
    select
        'Document_ПриобретениеТоваровУслуг' as cost_object_type,
        l.receipt_id as cost_object_id,
        l.series_id,
        l.line_number,
        s.base_cost as value_base,
        s.quantity * i.unit_gross_weight as gross_weight_base,
        s.quantity * i.unit_volume as volume_base,
        s.quantity as quantity_base
    from {{ ref('stg_onec_trade__receipt_lines') }} as l
    inner join series as s on l.series_id = s.series_id
    left join items as i on s.item_id = i.item_id
),

truck_targets as (
    select
        'Document_ТоварВМашине' as cost_object_type,
        l.truck_load_id as cost_object_id,
        l.series_id,
        l.line_number,
        s.base_cost as value_base,
        coalesce(l.gross_weight_kg, s.quantity * i.unit_gross_weight) as gross_weight_base,
        s.quantity * i.unit_volume as volume_base,
        s.quantity as quantity_base
    from {{ ref('stg_onec_trade__truck_load_lines') }} as l
    inner join series as s on l.series_id = s.series_id
    left join items as i on s.item_id = i.item_id
),

declaration_targets as (
    select
        'Document_ТаможеннаяДекларацияИмпорт' as cost_object_type,
        l.customs_declaration_id as cost_object_id,
        l.series_id,
        l.line_number,
        l.customs_value as value_base,
        s.quantity * i.unit_gross_weight as gross_weight_base,
        s.quantity * i.unit_volume as volume_base,
        s.quantity as quantity_base
    from {{ ref('stg_onec_trade__customs_declaration_lines') }} as l
    inner join series as s on l.series_id = s.series_id
    left join items as i on s.item_id = i.item_id
)

select * from receipt_targets
union all
select * from truck_targets
union all
select * from declaration_targets
