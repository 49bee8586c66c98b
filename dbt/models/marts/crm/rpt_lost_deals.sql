-- Lost deals (current state Потерян) by the month they were lost, lost reason, last state before the loss,
-- manager and first-touch lead channel, with the value lost (the deals' value: their orders net of VAT, else
-- the CRM's expected revenue).
select
    date_trunc('month', closed_at)::date as lost_month,
    coalesce(lost_reason, '(не указана)') as lost_reason,
    last_state_before_loss as last_state,
    min(furthest_state_position) as last_state_position,
    manager_id,
    manager_name,
    coalesce(lead_channel, '(без лида)') as channel,
    utm_source,
    count(*) as lost_deals,
    sum(deal_value)::numeric(18, 2) as value_lost
from {{ ref('fct_deals') }}
where is_lost
group by
    date_trunc('month', closed_at)::date,
    coalesce(lost_reason, '(не указана)'),
    last_state_before_loss,
    manager_id,
    manager_name,
    coalesce(lead_channel, '(без лида)'),
    utm_source
