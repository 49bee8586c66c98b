-- Document_ПриобретениеТоваровУслуг.Товары: received goods
-- Lines of the documents kept in stg_onec_trade__receipts only.
select
    l."Ref_Key" as receipt_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Номенклатура_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    nullif(l."Серия_Key", '00000000-0000-0000-0000-000000000000'::uuid) as series_id,
    nullif(l."ЗаказПоставщику_Key", '00000000-0000-0000-0000-000000000000'::uuid) as supplier_order_id,
    l."Количество"::numeric(18, 3) as quantity,
    round(l."Цена", 2)::numeric(18, 2) as price,
    round(l."Сумма", 2)::numeric(18, 2) as amount,
    l."СтавкаНДС" as vat_rate_code,
    round(l."СуммаНДС", 2)::numeric(18, 2) as vat_amount
from {{ source('onec_trade', 'document_priobretenie_tovarov_uslug__tovary') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__receipts') }} as h
        where h.receipt_id = l."Ref_Key"
    )
