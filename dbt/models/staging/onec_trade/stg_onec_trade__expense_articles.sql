-- ChartOfCharacteristicTypes_СтатьиРасходов: expense articles: landed-cost, direct deal and overhead
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as expense_article_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "ВариантРаспределенияРасходов" as allocation_variant,
    "Косвенный" as is_indirect
from {{ source('onec_trade', 'chart_of_characteristic_types_stati_raskhodov') }}
