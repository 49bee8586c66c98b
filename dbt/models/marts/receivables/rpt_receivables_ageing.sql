-- Receivables ageing per date, counterparty and contract: open items by bucket (seeds/ageing_buckets.csv
-- codes), their total, advances received and the net customer balance (= the 1300 balance of the key).
with open_items as (
    select * from {{ ref('fct_receivables_open_items') }}
)

select
    o.as_of_date,
    o.is_month_end,
    o.is_today,
    o.counterparty_id,
    cp.name as counterparty_name,
    o.contract_id,
    k.number as contract_number,
    coalesce(sum(o.open_amount) filter (where o.bucket = 'not_due'), 0)::numeric(18, 2) as not_due,
    coalesce(sum(o.open_amount) filter (where o.bucket = 'd001_030'), 0)::numeric(18, 2) as d001_030,
    coalesce(sum(o.open_amount) filter (where o.bucket = 'd031_060'), 0)::numeric(18, 2) as d031_060,
    coalesce(sum(o.open_amount) filter (where o.bucket = 'd061_090'), 0)::numeric(18, 2) as d061_090,
    coalesce(sum(o.open_amount) filter (where o.bucket = 'd091_180'), 0)::numeric(18, 2) as d091_180,
    coalesce(sum(o.open_amount) filter (where o.bucket = 'd181_plus'), 0)::numeric(18, 2) as d181_plus,
    coalesce(sum(o.open_amount) filter (where o.item_kind = 'open_item'), 0)::numeric(18, 2) as open_total,
    coalesce(-sum(o.open_amount) filter (where o.item_kind = 'advance'), 0)::numeric(18, 2) as advances_total,
    sum(o.open_amount)::numeric(18, 2) as net_balance,
    coalesce(sum(o.open_amount) filter (where o.item_kind = 'open_item' and o.days_overdue > 0), 0)::numeric(18, 2)
        as overdue_total
from open_items as o
left join {{ ref('stg_onec_trade__counterparties') }} as cp on o.counterparty_id = cp.counterparty_id
left join {{ ref('stg_onec_trade__contracts') }} as k on o.contract_id = k.contract_id
group by o.as_of_date, o.is_month_end, o.is_today, o.counterparty_id, cp.name, o.contract_id, k.number
