-- The documents a series' cost can come from, with their 1C type and number: for naming late costs.
select
    service_purchase_id as document_id,
    'ПриобретениеУслугПрочихАктивов' as document_type,
    document_number
from {{ ref('stg_onec_trade__service_purchases') }}

union all

select
    customs_declaration_id as document_id,
    'ТаможеннаяДекларацияИмпорт' as document_type,
    document_number
from {{ ref('stg_onec_trade__customs_declarations') }}
