-- InformationRegister_CRM_ИсторияСостоянийИнтересов: every state change of a deal: the history behind funnel
-- position and time in state
select
    nullif("Period", '0001-01-01 00:00:00'::timestamp) as period,
    nullif("Интерес_Key", '00000000-0000-0000-0000-000000000000'::uuid) as deal_id,
    nullif("Состояние_Key", '00000000-0000-0000-0000-000000000000'::uuid) as state_id,
    nullif("Пользователь_Key", '00000000-0000-0000-0000-000000000000'::uuid) as user_id
from {{ source('onec_crm', 'information_register_crm_istoriya_sostoyaniy_interesov') }}
