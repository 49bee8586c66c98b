{#- Balances at month ends from monthly movements: a key's running balance after a month's movements holds at
    every month end until the key's next movement, so each entry is summed once, not once per later month end.
    `movements`: one row per (month, key) with `month` (its first day), the `keys` and `movement`;
    `month_ends`: a relation whose `month_end_column` holds the month ends wanted.
    Returns month_end, the keys and balance (zero balances included). -#}
{% macro carried_balances(movements, keys, month_ends, month_end_column) -%}
    select
        m.{{ month_end_column }} as month_end,
        {%- for key in keys %}
        r.{{ key }},
        {%- endfor %}
        r.balance
    from (
        select
            month,
            {{ keys | join(', ') }},
            sum(movement) over key_months as balance,
            lead(month) over key_months as next_movement_month
        from {{ movements }}
        window key_months as (partition by {{ keys | join(', ') }} order by month)
    ) as r
    inner join {{ month_ends }} as m
        on
            r.month <= m.{{ month_end_column }}
            and (r.next_movement_month is null or r.next_movement_month > m.{{ month_end_column }})
{%- endmacro %}
