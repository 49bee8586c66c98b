{#- The margin waterfall of DOMAIN.md 3.4 from summed columns revenue, returns, cogs, direct_costs,
    overhead, ordered_gross, shipped_gross, returned_gross, paid_gross: the same figures for an order, a
    deal, or any grouping of them. -#}
{% macro margin_waterfall() -%}
    ordered_gross::numeric(18, 2) as ordered_gross,
    shipped_gross::numeric(18, 2) as shipped_gross,
    returned_gross::numeric(18, 2) as returned_gross,
    paid_gross::numeric(18, 2) as paid_gross,
    revenue::numeric(18, 2) as revenue,
    returns::numeric(18, 2) as returns,
    (revenue - returns)::numeric(18, 2) as net_revenue,
    cogs::numeric(18, 2) as cogs,
    (revenue - returns - cogs)::numeric(18, 2) as gross_margin,
    direct_costs::numeric(18, 2) as direct_costs,
    (revenue - returns - cogs - direct_costs)::numeric(18, 2) as contribution,
    overhead::numeric(18, 2) as overhead,
    (revenue - returns - cogs - direct_costs - overhead)::numeric(18, 2) as net_margin,
    {{ pct('revenue - returns - cogs', 'revenue - returns') }} as gross_margin_pct,
    {{ pct('revenue - returns - cogs - direct_costs - overhead', 'revenue - returns') }} as net_margin_pct,
    {{ pct('shipped_gross', 'ordered_gross') }} as shipped_pct,
    {{ pct('paid_gross', 'shipped_gross - returned_gross') }} as paid_pct
{%- endmacro %}
