{#- Post-hook of every model: planner statistics right after a table is rebuilt. The next models and the
    dashboards query it at once, before autovacuum's analyze; a table with no statistics is planned as a
    few rows, and a nested loop over tens of thousands of them runs for minutes. Views hold no rows. -#}
{% macro analyze_if_stored() -%}
    {%- if model.config.materialized in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
