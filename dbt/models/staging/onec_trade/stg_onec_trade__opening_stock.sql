-- Document_ВводОстатков.Товары: stock at opening: item, series, warehouse, quantity, cost net of VAT
-- Lines of the documents kept in stg_onec_trade__opening_balances only.
select
    l."Ref_Key" as opening_balance_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Номенклатура_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    nullif(l."Серия_Key", '00000000-0000-0000-0000-000000000000'::uuid) as series_id,
    nullif(l."Склад_Key", '00000000-0000-0000-0000-000000000000'::uuid) as warehouse_id,
    l."Количество"::numeric(18, 3) as quantity,
    round(l."Сумма", 2)::numeric(18, 2) as amount
from {{ source('onec_trade', 'document_vvod_ostatkov__tovary') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__opening_balances') }} as h
        where h.opening_balance_id = l."Ref_Key"
    )
