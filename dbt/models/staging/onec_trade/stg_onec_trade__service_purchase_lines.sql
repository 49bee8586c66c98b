-- Document_ПриобретениеУслугПрочихАктивов.Расходы: cost lines
-- Lines of the documents kept in stg_onec_trade__service_purchases only.
select
    l."Ref_Key" as service_purchase_id,
    l."LineNumber"::integer as line_number,
    nullif(l."СтатьяРасходов_Key", '00000000-0000-0000-0000-000000000000'::uuid) as expense_article_id,
    nullif(l."АналитикаРасходов", '00000000-0000-0000-0000-000000000000')::uuid as cost_object_id,
    nullif(replace(l."АналитикаРасходов_Type", 'StandardODATA.', ''), 'Undefined') as cost_object_type,
    nullif(l."Подразделение_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id,
    round(l."Сумма", 2)::numeric(18, 2) as amount,
    l."СтавкаНДС" as vat_rate_code,
    round(l."СуммаНДС", 2)::numeric(18, 2) as vat_amount
from {{ source('onec_trade', 'document_priobretenie_uslug_prochikh_aktivov__raskhody') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__service_purchases') }} as h
        where h.service_purchase_id = l."Ref_Key"
    )
