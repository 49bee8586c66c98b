{#-
  Incremental models rebuild only the months a new load can have touched: the ingestion re-reads 1C
  documents dated up to `incremental_lookback_days` (35, the ingestion overlap) before the newest one it
  holds, so a back-dated re-post can only change months from that date on. Older corrections are
  picked up by a full refresh (`dbt build --full-refresh`, run by the nightly reconciliation).

  Two steps, so they cannot disagree:
  - the pre-hook `delete_incremental_window(relation, date_column)` drops every month from the earlier
    of (the newest date in `relation`, the model's driving source, minus the lookback) and the last
    month the model holds: a model built before the history was loaded, or left behind for longer than
    the lookback, catches up, and an empty model is rebuilt whole. The models pass int_cogs_lines, the
    newest shipment, return or late cost: a table, read in seconds, where the view int_sales_lines
    recomputes every sales line (5.1 s against 2.8 s on `large`, once per model);
  - the model then selects the months after the last one it still holds, `incremental_window_start()`:
    exactly the months just dropped (plus any it never had), so no month is ever inserted twice (on a full
    build it is -infinity: every month).

  The invariant tests of an incremental build check the months it rewrote (`rebuilt_from`): the months
  before were checked by the build that wrote them and have not changed since. The nightly full refresh
  checks every month.
-#}
{% macro incremental_window_start() -%}
    {%- if is_incremental() -%}
        (
            select coalesce((max(month) + interval '1 month')::date, '-infinity'::date)
            from {{ this }}
        )
    {%- else -%}
        '-infinity'::date
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of a month-incremental model: drop the months about to be rebuilt (also months that came out
    empty), in the model's transaction, so readers never see a half-built month; then record where the
    rebuild starts (rebuilt_months_table), so this build's tests can check just those months. A full
    build records -infinity: every month. -#}
{% macro delete_incremental_window(relation, date_column) -%}
    {% if is_incremental() %}
        delete from {{ this }} where month >= least(
            (
                select date_trunc('month', max({{ date_column }}) - interval '{{ var("incremental_lookback_days") }} days')
                from {{ relation }}
            ),
            (select max(month) from {{ this }})
        );
    {% endif %}
    insert into {{ rebuilt_months_table() }} (model, invocation_id, from_month)
    values ('{{ this.identifier }}', '{{ invocation_id }}', {{ incremental_window_start() }})
    on conflict (model) do update
        set invocation_id = excluded.invocation_id, from_month = excluded.from_month, recorded_at = now()
{%- endmacro %}

{#- Where each month-incremental model's latest build started rewriting, and in which dbt invocation
    (created by the project's on-run-start hook). -#}
{% macro rebuilt_months_table() -%}
    intermediate.dbt_rebuilt_months
{%- endmacro %}

{% macro create_rebuilt_months_table() -%}
    create table if not exists {{ rebuilt_months_table() }} (
        model text primary key,
        invocation_id text not null,
        from_month date not null,
        recorded_at timestamptz not null default now()
    );
    -- a few rows, but analyzed like every table the build keeps (tests/dbt/test_dbt_build.py)
    analyze {{ rebuilt_months_table() }}
{%- endmacro %}

{#- The first month an invariant test has to check on `model_name`, as a date literal (a literal, so the
    planner can use the month index): the month the model's build in this same dbt invocation started
    rewriting from. An incremental build leaves the months before it as they were, and checked, by the
    build that wrote them; its tests read just the months it wrote. A full build, a `dbt test` of its own
    and a model that was not built in this invocation give -infinity: every month is checked, as the
    nightly full refresh does. -#}
{% macro rebuilt_from(model_name) -%}
    {%- set from_month = none -%}
    {%- if execute -%}
        {#- by name, not adapter.get_relation: dbt's relation cache predates the on-run-start hook -#}
        {%- set exists = run_query("select to_regclass('" ~ rebuilt_months_table() ~ "') is not null") -%}
        {%- if exists.rows[0][0] -%}
            {%- set found = run_query(
                "select from_month::text from " ~ rebuilt_months_table() ~ " where model = '" ~ model_name
                ~ "' and invocation_id = '" ~ invocation_id ~ "'") -%}
            {%- if found.rows | length == 1 -%}
                {%- set from_month = found.rows[0][0] -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    '{{ from_month or "-infinity" }}'::date
{%- endmacro %}

{#- Generic tests configured with `where: "month >= __rebuilt_from__"` check the months rebuilt_from()
    gives for the model they test: dbt's own macro, with the placeholder filled in at run time. -#}
{% macro get_where_subquery(relation) -%}
    {%- set subquery = dbt.default__get_where_subquery(relation) -%}
    {%- if subquery is string and '__rebuilt_from__' in subquery -%}
        {%- do return(subquery | replace('__rebuilt_from__', rebuilt_from(relation.identifier))) -%}
    {%- endif -%}
    {%- do return(subquery) -%}
{%- endmacro %}
