-- DOMAIN.md 4.3: closing cash in the cash flow = cash in the ledger (1010 + 1020 at the month end) = cash on the
-- balance sheet, every month, to the kopeck; and closing = opening + net flow, opening = the previous closing.
with cashflow as (
    select
        month,
        sum(fact) filter (where row_type = 'opening') as opening,
        sum(fact) filter (where row_type = 'net_flow' and section is null) as net_flow,
        sum(fact) filter (where row_type = 'closing') as closing
    from {{ ref('rpt_cashflow') }}
    group by month
),

cash_movements as (
    select
        month,
        sum(amount) as cash
    from {{ ref('fct_ledger_entries') }}
    where account_code in ('1010', '1020')
    group by month
),

ledger as (
    -- each month end: the months' movements up to it
    select
        m.month,
        m.month_end,
        coalesce(sum(c.cash), 0) as cash
    from {{ ref('int_ledger_months') }} as m
    left join cash_movements as c on m.month >= c.month
    group by m.month, m.month_end
),

sheet as (
    select
        month_end,
        amount as cash
    from {{ ref('rpt_balance_sheet') }}
    where line = 'cash'
),

joined as (
    select
        l.month,
        c.opening,
        c.net_flow,
        c.closing,
        lag(c.closing) over (order by l.month) as previous_closing,
        l.cash as ledger_cash,
        s.cash as sheet_cash
    from ledger as l
    left join cashflow as c on l.month = c.month
    left join sheet as s on l.month_end = s.month_end
)

select *
from joined
where
    closing is distinct from ledger_cash
    or closing is distinct from sheet_cash
    or closing is distinct from opening + net_flow
    or previous_closing is not null and opening is distinct from previous_closing
