-- The deals neither won nor lost today and their value (their orders net of VAT, else the CRM's expected
-- revenue) by division, manager and first-touch lead channel: the director's open-pipeline tile sums these
-- few hundred rows under the sidebar filters instead of reading every deal.
select
    division_id,
    manager_id,
    lead_channel,
    count(*) as open_deals,
    sum(coalesce(deal_value, expected_revenue, 0))::numeric(18, 2) as open_value
from {{ ref('fct_deals') }}
where not is_won and not is_lost
group by division_id, manager_id, lead_channel
