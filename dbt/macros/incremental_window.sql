{#-
  Incremental models rebuild only the months a new load can have touched: the ingestion re-reads 1C
  documents dated up to `incremental_lookback_days` (35, the ingestion overlap) before the newest one it
  holds, so a back-dated re-post can only change months from that date on. Older corrections are
  picked up by a full refresh (`dbt build --full-refresh`, run by the nightly reconciliation).

  incremental_window_start(relation, date_column): the first day of the first month to rebuild, from
  the newest date in `relation` (the model's driving source).
-#}
{% macro incremental_window_start(relation, date_column) -%}
    (
        select date_trunc('month', max({{ date_column }}) - interval '{{ var("incremental_lookback_days") }} days')::date
        from {{ relation }}
    )
{%- endmacro %}

{#- Pre-hook of a month-incremental model: drop the months about to be rebuilt (also months that came out
    empty), in the model's transaction, so readers never see a half-built month. -#}
{% macro delete_incremental_window(relation, date_column) -%}
    {% if is_incremental() %}
        delete from {{ this }} where month >= {{ incremental_window_start(relation, date_column) }}
    {% endif %}
{%- endmacro %}
