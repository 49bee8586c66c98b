-- A call with several legs is counted once: fct_calls has exactly one row per Mango entry_id of the legs,
-- and the call metrics add up to the same number of calls. Any row returned fails.
with counts as (
    select
        (select count(distinct call_id) from {{ ref('stg_files__call_legs') }}) as calls_in_log,
        (select count(*) from {{ ref('fct_calls') }}) as fact_calls,
        (select count(distinct call_id) from {{ ref('fct_calls') }}) as distinct_fact_calls,
        (select coalesce(sum(calls), 0) from {{ ref('rpt_call_metrics') }}) as reported_calls
)

select *
from counts
where
    fact_calls <> calls_in_log
    or distinct_fact_calls <> calls_in_log
    or reported_calls <> calls_in_log
