-- Document_ТоварВМашине.Товары: invoice lines loaded
-- Lines of the documents kept in stg_onec_trade__truck_loads only.
select
    l."Ref_Key" as truck_load_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Номенклатура_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    nullif(l."ЗаказПоставщику_Key", '00000000-0000-0000-0000-000000000000'::uuid) as supplier_order_id,
    nullif(l."Серия_Key", '00000000-0000-0000-0000-000000000000'::uuid) as series_id,
    l."НомерИнвойса" as invoice_number,
    nullif(l."ДатаИнвойса", '0001-01-01 00:00:00'::timestamp) as invoice_date,
    l."ВесБрутто"::numeric(18, 3) as gross_weight_kg,
    l."ВесНетто"::numeric(18, 3) as net_weight_kg,
    l."КоличествоМест"::bigint as packages,
    l."КодТНВЭД" as hs_code,
    l."Количество"::numeric(18, 3) as quantity,
    round(l."Цена", 2)::numeric(18, 2) as price,
    round(l."Сумма", 2)::numeric(18, 2) as amount
from {{ source('onec_trade', 'document_tovar_v_mashine__tovary') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__truck_loads') }} as h
        where h.truck_load_id = l."Ref_Key"
    )
