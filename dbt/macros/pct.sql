{#- A percentage to two decimals; NULL when the base is zero or missing (never a division error). -#}
{% macro pct(numerator, denominator) -%}
    round(100.0 * ({{ numerator }}) / nullif({{ denominator }}, 0), 2)::numeric(9, 2)
{%- endmacro %}
