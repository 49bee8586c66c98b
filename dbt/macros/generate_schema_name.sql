{#- Models land in the schema their folder names (staging, intermediate, marts),
    not in "<target schema>_<custom>": the roles' grants are per schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
