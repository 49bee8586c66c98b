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
    empty), in the model's transaction, so readers never see a half-built month. -#}
{% macro delete_incremental_window(relation, date_column) -%}
    {% if is_incremental() %}
        delete from {{ this }} where month >= least(
            (
                select date_trunc('month', max({{ date_column }}) - interval '{{ var("incremental_lookback_days") }} days')
                from {{ relation }}
            ),
            (select max(month) from {{ this }})
        )
    {% endif %}
{%- endmacro %}
