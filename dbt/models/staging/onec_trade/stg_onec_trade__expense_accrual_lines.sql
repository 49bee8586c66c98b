-- Document_ПрочиеРасходы.Расходы: amount per division
-- Lines of the documents kept in stg_onec_trade__expense_accruals only.
select
    l."Ref_Key" as expense_accrual_id,
    l."LineNumber"::integer as line_number,
    nullif(l."Подразделение_Key", '00000000-0000-0000-0000-000000000000'::uuid) as division_id,
    round(l."Сумма", 2)::numeric(18, 2) as amount
from {{ source('onec_trade', 'document_prochie_raskhody__raskhody') }} as l
where
    exists (
        select 1
        from {{ ref('stg_onec_trade__expense_accruals') }} as h
        where h.expense_accrual_id = l."Ref_Key"
    )
