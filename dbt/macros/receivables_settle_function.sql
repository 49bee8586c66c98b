{#-
    The settlement engine (DOMAIN.md 3.3, tests/known_answers/README.md 1.7), one PL/pgSQL function for
    customers and suppliers alike. It is installed by the post-hook of int_receivable_events (int_payable_matches depends on it too) and called by int_receivable_matches / int_payable_matches:

        select * from {{ receivables_settle_relation() }}(
            (select array_agg(row(...)::{{ receivables_event_type() }} order by key, event_ts, ...) from events)
        )

    Input: every event of one side as an array of `receivables_settlement_event`, sorted by settlement key,
    then time (items before credits at the same instant, then document id and line). Per key it keeps the
    open items (in due-date order) and the open credits (advances, in time order):
      - an item (shipment, refund, opening debt; on the supplier side a receipt, service, declaration,
        accrual) first takes the key's open advances, oldest first, on its own date; what is left stays open;
      - a credit naming an item (a customer return naming its shipment) closes that item first;
      - a credit naming an order (a payment line) pays that order's open items first, oldest due first;
      - the rest of any credit pays the key's oldest open items by due date; what is still left is an
        advance, kept for the key's later items.
    Output: one row per application (credit part × item part) with the instant it happened (the later of
    the two events). The matching is causal (an event only sees earlier events), so the state as of any date
    D is "events dated ≤ D minus applications dated ≤ D": the macro receivables_open_items_as_of reads it so.
    It runs in one pass over the events (about 10 µs an event), which a set-based cumulative-range FIFO
    cannot do with order-first payments and named returns.
-#}

{#- the type's name carries a version: change the attributes, bump it (the install never drops anything,
    so a build running the function at the same time is never disturbed) -#}
{% macro receivables_event_type(qualified=true) -%}
    {%- set name = 'receivables_settlement_event_v1' -%}
    {{- generate_schema_name('intermediate', none) ~ '.' ~ name if qualified else name -}}
{%- endmacro %}

{% macro receivables_settle_relation() -%}
    {{ generate_schema_name('intermediate', none) }}.receivables_settle
{%- endmacro %}

{% macro receivables_install_settle_function() %}
{%- set event_type = receivables_event_type() -%}
{%- set fn = receivables_settle_relation() -%}
do $install$
begin
    if not exists (
        select 1
        from pg_type as t
        inner join pg_namespace as n on t.typnamespace = n.oid
        where n.nspname = '{{ generate_schema_name('intermediate', none) }}'
            and t.typname = '{{ receivables_event_type(qualified=false) }}'
    ) then
        create type {{ event_type }} as (
            key_counterparty_id uuid,
            key_contract_id uuid,
            key_order_id uuid,
            event_ts timestamp,
            is_item boolean,
            document_type text,
            document_id uuid,
            line_number integer,
            amount numeric(18, 2),
            due_date date,
            order_id uuid,
            target_document_id uuid,
            credit_source text
        );
    end if;
end
$install$;
create or replace function {{ fn }}(events {{ event_type }}[])
returns table (
    key_counterparty_id uuid,
    key_contract_id uuid,
    key_order_id uuid,
    credit_document_type text,
    credit_document_id uuid,
    credit_line_number integer,
    credit_ts timestamp,
    credit_source text,
    item_document_type text,
    item_document_id uuid,
    item_line_number integer,
    item_ts timestamp,
    amount numeric(18, 2),
    applied_ts timestamp,
    application_kind text
)
language plpgsql
as $fn$
declare
    ev {{ event_type }};
    cur_key text;
    k text;
    -- open items of the current key, kept in (due date, arrival) order
    i_type text[]; i_id uuid[]; i_line integer[]; i_ts timestamp[]; i_due date[]; i_order uuid[];
    i_open numeric[];
    n_i integer; i_head integer;
    -- open credits (advances) of the current key, in arrival order
    c_type text[]; c_id uuid[]; c_line integer[]; c_ts timestamp[]; c_src text[]; c_open numeric[];
    n_c integer; c_head integer;
    rest numeric; amt numeric; pos integer; j integer; pass integer;
begin
    -- no events at all (an empty warehouse) arrive as a null array: array_agg of no rows
    foreach ev in array coalesce(events, array[]::{{ event_type }}[]) loop
        k := coalesce(ev.key_counterparty_id::text, '') || '|' || coalesce(ev.key_contract_id::text, '')
            || '|' || coalesce(ev.key_order_id::text, '');
        if cur_key is distinct from k then
            cur_key := k;
            i_type := '{}'; i_id := '{}'; i_line := '{}'; i_ts := '{}'; i_due := '{}'; i_order := '{}';
            i_open := '{}'; n_i := 0; i_head := 1;
            c_type := '{}'; c_id := '{}'; c_line := '{}'; c_ts := '{}'; c_src := '{}'; c_open := '{}';
            n_c := 0; c_head := 1;
            key_counterparty_id := ev.key_counterparty_id;
            key_contract_id := ev.key_contract_id;
            key_order_id := ev.key_order_id;
        end if;
        rest := ev.amount;
        if rest is null or rest <= 0 then
            continue;
        end if;
        applied_ts := ev.event_ts;
        if ev.is_item then
            item_document_type := ev.document_type; item_document_id := ev.document_id;
            item_line_number := ev.line_number; item_ts := ev.event_ts;
            -- the key's advances pay the new item, oldest first
            while rest > 0 and c_head <= n_c loop
                if c_open[c_head] > 0 then
                    amt := least(rest, c_open[c_head]);
                    credit_document_type := c_type[c_head]; credit_document_id := c_id[c_head];
                    credit_line_number := c_line[c_head]; credit_ts := c_ts[c_head]; credit_source := c_src[c_head];
                    amount := amt;
                    application_kind := case when c_src[c_head] = 'payment' then 'advance_applied' else 'credit_applied' end;
                    return next;
                    c_open[c_head] := c_open[c_head] - amt;
                    rest := rest - amt;
                end if;
                if c_open[c_head] <= 0 then
                    c_head := c_head + 1;
                end if;
            end loop;
            if rest > 0 then
                -- keep the open items in due-date order (arrival order within a due date)
                pos := n_i + 1;
                while pos > i_head and i_due[pos - 1] > ev.due_date loop
                    pos := pos - 1;
                end loop;
                for j in reverse n_i..pos loop
                    i_type[j + 1] := i_type[j]; i_id[j + 1] := i_id[j]; i_line[j + 1] := i_line[j];
                    i_ts[j + 1] := i_ts[j]; i_due[j + 1] := i_due[j]; i_order[j + 1] := i_order[j];
                    i_open[j + 1] := i_open[j];
                end loop;
                i_type[pos] := ev.document_type; i_id[pos] := ev.document_id; i_line[pos] := ev.line_number;
                i_ts[pos] := ev.event_ts; i_due[pos] := ev.due_date; i_order[pos] := ev.order_id;
                i_open[pos] := rest;
                n_i := n_i + 1;
            end if;
        else
            credit_document_type := ev.document_type; credit_document_id := ev.document_id;
            credit_line_number := ev.line_number; credit_ts := ev.event_ts; credit_source := ev.credit_source;
            application_kind := ev.credit_source;
            -- pass 1: the item the credit names; pass 2: the order it names; pass 3: any open item (FIFO by due)
            for pass in 1..3 loop
                exit when rest <= 0;
                continue when pass = 1 and ev.target_document_id is null;
                continue when pass = 2 and ev.order_id is null;
                j := i_head;
                while rest > 0 and j <= n_i loop
                    if i_open[j] > 0 and (
                        pass = 3
                        or (pass = 1 and i_id[j] = ev.target_document_id)
                        or (pass = 2 and i_order[j] = ev.order_id)
                    ) then
                        amt := least(rest, i_open[j]);
                        item_document_type := i_type[j]; item_document_id := i_id[j];
                        item_line_number := i_line[j]; item_ts := i_ts[j];
                        amount := amt;
                        return next;
                        i_open[j] := i_open[j] - amt;
                        rest := rest - amt;
                    end if;
                    j := j + 1;
                end loop;
                while i_head <= n_i and i_open[i_head] <= 0 loop
                    i_head := i_head + 1;
                end loop;
            end loop;
            if rest > 0 then
                n_c := n_c + 1;
                c_type[n_c] := ev.document_type; c_id[n_c] := ev.document_id; c_line[n_c] := ev.line_number;
                c_ts[n_c] := ev.event_ts; c_src[n_c] := ev.credit_source; c_open[n_c] := rest;
            end if;
        end if;
    end loop;
end;
$fn$;
{% endmacro %}
