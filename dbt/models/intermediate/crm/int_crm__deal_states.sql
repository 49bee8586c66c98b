-- The CRM deal states (Catalog_CRM_СостоянияИнтересов) in funnel order, with the two outcomes named:
-- won = Успешно, lost = Потерян (README 1.9, chosen: the catalog's Завершающее flag is not used, because
-- Оплата отсрочки carries it too). Every other state is a working state of the funnel.
select
    deal_state_id,
    name as state_name,
    position as state_position,
    name = 'Успешно' as is_won_state,
    name = 'Потерян' as is_lost_state,
    name not in ('Успешно', 'Потерян') as is_working_state,
    name <> 'Потерян' as is_funnel_state
from {{ ref('stg_onec_crm__deal_states') }}
where not is_deleted
