-- Document_ТаможеннаяДекларацияИмпорт.Товары: declared goods
-- Lines of the documents kept in stg_onec_trade__customs_declarations only.
select
    l."Ref_Key" as customs_declaration_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Номенклатура_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    nullif(l."Серия_Key", '00000000-0000-0000-0000-000000000000'::uuid) as series_id,
    round(l."ТаможеннаяСтоимость", 2)::numeric(18, 2) as customs_value,
    l."СтавкаПошлины"::numeric(18, 3) as duty_rate_pct,
    round(l."СуммаПошлины", 2)::numeric(18, 2) as duty_amount,
    round(l."СуммаНДС", 2)::numeric(18, 2) as vat_amount
from {{ source('onec_trade', 'document_tamozhennaya_deklaratsiya_import__tovary') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__customs_declarations') }} as h
        where h.customs_declaration_id = l."Ref_Key"
    )
