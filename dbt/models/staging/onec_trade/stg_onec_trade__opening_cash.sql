-- Document_ВводОстатков.ДенежныеСредства: money at opening
-- Lines of the documents kept in stg_onec_trade__opening_balances only.
select
    l."Ref_Key" as opening_balance_id,
    l."LineNumber"::integer as line_number,
    l."ВидДенежныхСредств" as money_kind,
    round(l."Сумма", 2)::numeric(18, 2) as amount
from {{ source('onec_trade', 'document_vvod_ostatkov__denezhnye_sredstva') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__opening_balances') }} as h
        where h.opening_balance_id = l."Ref_Key"
    )
