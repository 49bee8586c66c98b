-- Catalog_СтатьиДвиженияДенежныхСредств: cash-flow articles: every payment line names one
select
    nullif("Ref_Key", '00000000-0000-0000-0000-000000000000'::uuid) as cash_flow_article_id,
    "DataVersion" as data_version,
    "DeletionMark" as is_deleted,
    "Code" as code,
    "Description" as name,
    "ВидДвижения" as direction,
    "РазделБДДС" as cash_flow_section
from {{ source('onec_trade', 'catalog_stati_dvizheniya_denezhnykh_sredstv') }}
