-- Marketing spend per day, channel (utm_source) and campaign, net of VAT.
select
    day as spend_date,
    utm_source,
    utm_campaign,
    source_title,
    campaign_title,
    round(cost, 2)::numeric(18, 2) as spend,
    visits
from {{ source('files', 'ad_costs') }}
