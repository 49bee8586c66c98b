{#- `left` and `right` name the same key, NULL matching NULL: the null-safe equality of IS NOT DISTINCT FROM,
    written so PostgreSQL can hash or merge on it (a full join on IS NOT DISTINCT FROM cannot, and compares
    every pair of rows). The sentinel is 1C's empty reference, which staging turns into NULL, so no key has it. -#}
{% macro same_key(left, right) -%}
    coalesce({{ left }}, '00000000-0000-0000-0000-000000000000'::uuid)
    = coalesce({{ right }}, '00000000-0000-0000-0000-000000000000'::uuid)
{%- endmacro %}
