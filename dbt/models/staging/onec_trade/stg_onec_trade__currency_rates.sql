-- InformationRegister_КурсыВалют: daily currency rates to the base currency
select
    nullif("Period", '0001-01-01 00:00:00'::timestamp) as period,
    nullif("Валюта_Key", '00000000-0000-0000-0000-000000000000'::uuid) as currency_id,
    "Курс"::numeric(18, 6) as rate,
    "Кратность"::bigint as rate_units
from {{ source('onec_trade', 'information_register_kursy_valyut') }}
