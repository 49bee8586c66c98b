-- Document_СписаниеБезналичныхДенежныхСредств.РасшифровкаПлатежа: how the payment settles: per order and cash-
-- flow article
-- Lines of the documents kept in stg_onec_trade__bank_payments only.
select
    l."Ref_Key" as bank_payment_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Заказ", '00000000-0000-0000-0000-000000000000')::uuid as order_id,
    nullif(replace(l."Заказ_Type", 'StandardODATA.', ''), 'Undefined') as order_type,
    nullif(l."Договор_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    nullif(l."СтатьяДвиженияДенежныхСредств_Key", '00000000-0000-0000-0000-000000000000'::uuid) as cash_flow_article_id,
    round(l."Сумма", 2)::numeric(18, 2) as amount
from {{ source('onec_trade', 'document_spisanie_beznalichnykh_denezhnykh_sredstv__rasshifrovka_platezha') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__bank_payments') }} as h
        where h.bank_payment_id = l."Ref_Key"
    )
