-- Document_ВводОстатков.Расчеты: partner balances at opening
-- Lines of the documents kept in stg_onec_trade__opening_balances only.
select
    l."Ref_Key" as opening_balance_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Контрагент_Key", '00000000-0000-0000-0000-000000000000'::uuid) as counterparty_id,
    nullif(l."Договор_Key", '00000000-0000-0000-0000-000000000000'::uuid) as contract_id,
    round(l."Сумма", 2)::numeric(18, 2) as amount,
    nullif(l."СрокОплаты", '0001-01-01 00:00:00'::timestamp) as payment_terms_days
from {{ source('onec_trade', 'document_vvod_ostatkov__raschety') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__opening_balances') }} as h
        where h.opening_balance_id = l."Ref_Key"
    )
