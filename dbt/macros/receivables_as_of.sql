{#-
    Open items and advances as of any date, from the settlement engine's history (int_*_matches): only
    documents dated on or before the date count, and only applications made on or before it (the engine is
    causal, so this is exactly the matching of the events up to that date).

        select * from {{ receivables_as_of("'2025-02-28'::date") }}
        select * from {{ receivables_as_of_dates(ref('int_receivable_as_of_dates')) }}   -- many dates at once

    receivables_as_of(D) is receivables_as_of_dates over the one-row relation (select D as as_of_date): one
    piece of SQL for one date or many (the marts use the many-dates form, set-based, no per-date loop).

    One row per open item (item_kind 'open_item', open_amount > 0, days_overdue = as_of − due, bucket from
    seeds/ageing_buckets.csv) and per unapplied credit (item_kind 'advance', original and open amounts
    negative, no due date or bucket), so Σ open_amount of a key is its balance (debit positive).
    receivables_payables_as_of / receivables_payables_as_of_dates are the same for suppliers (the balance
    there is what the company owes).
-#}

{% macro receivables_as_of(as_of_date, alias='receivables_as_of') -%}
    {{ receivables_as_of_dates('(select (' ~ as_of_date ~ ')::date as as_of_date)', alias) }}
{%- endmacro %}

{% macro receivables_as_of_dates(dates, alias='receivables_as_of') -%}
    {{ receivables_open_items_as_of(dates, ref('int_receivable_events'), ref('int_receivable_matches'),
        ['customer_order_id', 'manager_id'], alias) }}
{%- endmacro %}

{% macro receivables_payables_as_of(as_of_date, alias='payables_as_of') -%}
    {{ receivables_payables_as_of_dates('(select (' ~ as_of_date ~ ')::date as as_of_date)', alias) }}
{%- endmacro %}

{% macro receivables_payables_as_of_dates(dates, alias='payables_as_of') -%}
    {{ receivables_open_items_as_of(dates, ref('int_payable_events'), ref('int_payable_matches'),
        ['supplier_order_id', 'account_code'], alias) }}
{%- endmacro %}

{% macro receivables_open_items_as_of(dates, events, matches, extra_columns, alias) -%}
(
    with as_of_dates as (
        select distinct as_of_date::date as as_of_date
        from {{ dates }} as dates_
    ),

    -- per document (item or credit) and day: the amount applied that day and up to that day
    applied_by_day as (
        select
            document_id,
            line_number,
            applied_on,
            sum(amount) as amount
        from (
            select
                item_document_id as document_id,
                item_line_number as line_number,
                applied_on,
                amount
            from {{ matches }}
            union all
            select
                credit_document_id as document_id,
                credit_line_number as line_number,
                applied_on,
                amount
            from {{ matches }}
        ) as m
        group by document_id, line_number, applied_on
    ),

    applied_to_date as (
        select
            document_id,
            line_number,
            applied_on,
            sum(amount) over (partition by document_id, line_number order by applied_on) as applied
        from applied_by_day
    ),

    -- the day each document was fully applied (null while something is left)
    settled as (
        select
            a.document_id,
            a.line_number,
            min(a.applied_on) as settled_on
        from applied_to_date as a
        inner join {{ events }} as e on a.document_id = e.document_id and a.line_number = e.line_number
        where a.applied >= e.amount
        group by a.document_id, a.line_number
    ),

    -- every document still open at a date: dated on or before it, not settled by then
    open_at as (
        select
            d.as_of_date,
            e.*
        from {{ events }} as e
        left join settled as s on e.document_id = s.document_id and e.line_number = s.line_number
        inner join as_of_dates as d
            on
                e.document_date <= d.as_of_date
                and (s.settled_on is null or d.as_of_date < s.settled_on)
    ),

    open_amounts as (
        select
            o.as_of_date,
            o.document_id,
            o.line_number,
            (o.amount - coalesce(max(a.applied), 0))::numeric(18, 2) as open_amount
        from open_at as o
        left join applied_to_date as a
            on o.document_id = a.document_id and o.line_number = a.line_number and o.as_of_date >= a.applied_on
        group by o.as_of_date, o.document_id, o.line_number, o.amount
    )

    select
        o.as_of_date,
        case when o.is_item then 'open_item' else 'advance' end as item_kind,
        o.event_kind,
        o.counterparty_id,
        o.contract_id,
        o.key_order_id,
        {%- for column in extra_columns %}
        o.{{ column }},
        {%- endfor %}
        o.document_type,
        o.document_id,
        o.line_number,
        o.document_number,
        o.document_date,
        o.due_date,
        case when o.is_item then o.amount else -o.amount end::numeric(18, 2) as original_amount,
        case when o.is_item then x.open_amount else -x.open_amount end::numeric(18, 2) as open_amount,
        case when o.is_item then o.as_of_date - o.due_date end as days_overdue,
        b.bucket_code
    from open_at as o
    inner join open_amounts as x
        on o.as_of_date = x.as_of_date and o.document_id = x.document_id and o.line_number = x.line_number
    left join {{ ref('ageing_buckets') }} as b
        on o.is_item and (o.as_of_date - o.due_date) between b.min_days_overdue and b.max_days_overdue
    where x.open_amount != 0
) as {{ alias }}
{%- endmacro %}
