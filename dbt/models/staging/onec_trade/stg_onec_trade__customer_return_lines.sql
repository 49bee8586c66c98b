-- Document_ВозвратТоваровОтКлиента.Товары: returned goods
-- Lines of the documents kept in stg_onec_trade__customer_returns only.
select
    l."Ref_Key" as customer_return_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Номенклатура_Key", '00000000-0000-0000-0000-000000000000'::uuid) as item_id,
    nullif(l."Серия_Key", '00000000-0000-0000-0000-000000000000'::uuid) as series_id,
    l."Количество"::numeric(18, 3) as quantity,
    round(l."Цена", 2)::numeric(18, 2) as price,
    round(l."Сумма", 2)::numeric(18, 2) as amount,
    l."СтавкаНДС" as vat_rate_code,
    round(l."СуммаНДС", 2)::numeric(18, 2) as vat_amount
from {{ source('onec_trade', 'document_vozvrat_tovarov_ot_klienta__tovary') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__customer_returns') }} as h
        where h.customer_return_id = l."Ref_Key"
    )
