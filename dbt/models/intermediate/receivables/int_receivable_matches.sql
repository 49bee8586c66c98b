{{ config(materialized='table') }}
-- Every application of a customer credit to an item over the whole history (the settlement engine's output,
-- macros/receivables_settle_function.sql), with the instant it happened. The state as of any date is read
-- from here by the macro receivables_open_items_as_of.
with events as (
    select * from {{ ref('int_receivable_events') }}
),

settled as (
    select m.*
    from {{ receivables_settle_relation() }}(
        (
            select
                array_agg(
                    row(
                        e.counterparty_id, e.contract_id, e.key_order_id, e.event_ts, e.is_item,
                        e.document_type, e.document_id, e.line_number, e.amount, e.due_date,
                        e.customer_order_id, e.target_document_id, e.credit_source
                    )::{{ receivables_event_type() }}
                    order by
                        e.counterparty_id asc, e.contract_id asc, e.key_order_id asc, e.event_ts asc,
                        e.is_item desc, e.document_id asc, e.line_number asc
                )
            from events as e
        )
    ) as m
)

select
    key_counterparty_id as counterparty_id,
    key_contract_id as contract_id,
    key_order_id,
    credit_document_type,
    credit_document_id,
    credit_line_number,
    credit_ts::date as credit_date,
    credit_source,
    item_document_type,
    item_document_id,
    item_line_number,
    item_ts::date as item_date,
    application_kind,
    amount::numeric(18, 2) as amount,
    applied_ts,
    applied_ts::date as applied_on
from settled
