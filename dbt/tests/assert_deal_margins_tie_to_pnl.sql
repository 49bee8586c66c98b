-- DOMAIN.md 4.7: Σ gross margin of the deals + gross margin of sales outside deals = P&L gross profit,
-- every month (from the cost lines, which the deal margins sum) and in total (from fct_deal_margin).
-- The P&L side is the ledger's revenue, returns and cost-of-sales accounts (9000, 9010, 9100).
with pnl as (
    select
        month,
        -sum(amount) as gross_profit
    from {{ ref('fct_ledger_entries') }}
    where account_code in ('9000', '9010', '9100')
    group by month
),

margins as (
    select
        month,
        sum(revenue - cost) as gross_margin
    from {{ ref('fct_cogs_lines') }}
    group by month
),

monthly as (
    select
        coalesce(p.month, m.month)::text as period,
        coalesce(p.gross_profit, 0) as pnl_gross_profit,
        coalesce(m.gross_margin, 0) as margins
    from pnl as p
    full outer join margins as m on p.month = m.month
),

total as (
    select
        'total' as period,
        (select coalesce(sum(gross_profit), 0) from pnl) as pnl_gross_profit,
        (select coalesce(sum(gross_margin), 0) from {{ ref('fct_deal_margin') }})
        + (
            select coalesce(sum(revenue - cost), 0)
            from {{ ref('fct_cogs_lines') }}
            where deal_id is null or deal_id not in (select d.deal_id from {{ ref('fct_deal_margin') }} as d)
        ) as margins
)

select * from monthly
where pnl_gross_profit != margins
union all
select * from total
where pnl_gross_profit != margins
