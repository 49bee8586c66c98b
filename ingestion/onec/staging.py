"""Render the dbt staging layer of the 1C sources from the source contract.

    python -m ingestion.onec.staging            # rewrite dbt/models/staging/onec_{trade,crm}/
    python -m ingestion.onec.staging --check    # exit 1 if the committed files differ

One view per raw table: English snake_case names, the empty reference and the 0001-01-01 date
as NULL, money as numeric(18,2) rounded to kopecks, quantities numeric(18,3); documents keep
only posted, not deletion-marked rows (their tabular sections follow their header). The names
live here, in one table, so every model and its .yml agree with the contract by construction;
a test checks the committed files against this renderer.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from ingestion.loader.onec_tables import onec_table
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec.schema import EntitySet, Field, TabularSection

STAGING = Path(__file__).resolve().parents[2] / "dbt" / "models" / "staging"

# entity set -> (model name, singular used for its id column)
MODELS = {
    "Catalog_Организации": ("organizations", "organization"),
    "Catalog_Валюты": ("currencies", "currency"),
    "Catalog_Подразделения": ("divisions", "division"),
    "Catalog_Пользователи": ("users", "user"),
    "Catalog_Склады": ("warehouses", "warehouse"),
    "Catalog_Партнеры": ("partners", "partner"),
    "Catalog_Контрагенты": ("counterparties", "counterparty"),
    "Catalog_ДоговорыКонтрагентов": ("contracts", "contract"),
    "Catalog_Номенклатура": ("items", "item"),
    "Catalog_СерииНоменклатуры": ("series", "series"),
    "Catalog_СтатьиДвиженияДенежныхСредств": ("cash_flow_articles", "cash_flow_article"),
    "ChartOfCharacteristicTypes_СтатьиРасходов": ("expense_articles", "expense_article"),
    "InformationRegister_КурсыВалют": ("currency_rates", "currency_rate"),
    "Document_ВводОстатков": ("opening_balances", "opening_balance"),
    "Document_ЗаказКлиента": ("customer_orders", "customer_order"),
    "Document_ЗаказПоставщику": ("supplier_orders", "supplier_order"),
    "Document_ТоварВМашине": ("truck_loads", "truck_load"),
    "Document_ПриобретениеТоваровУслуг": ("receipts", "receipt"),
    "Document_ТаможеннаяДекларацияИмпорт": ("customs_declarations", "customs_declaration"),
    "Document_ПриобретениеУслугПрочихАктивов": ("service_purchases", "service_purchase"),
    "Document_РеализацияТоваровУслуг": ("shipments", "shipment"),
    "Document_ВозвратТоваровОтКлиента": ("customer_returns", "customer_return"),
    "Document_ПоступлениеБезналичныхДенежныхСредств": ("bank_receipts", "bank_receipt"),
    "Document_СписаниеБезналичныхДенежныхСредств": ("bank_payments", "bank_payment"),
    "Document_ПриходныйКассовыйОрдер": ("cash_receipts", "cash_receipt"),
    "Document_РасходныйКассовыйОрдер": ("cash_payments", "cash_payment"),
    "Document_ПрочиеРасходы": ("expense_accruals", "expense_accrual"),
    "Catalog_CRM_СостоянияИнтересов": ("deal_states", "deal_state"),
    "Catalog_CRM_ПричиныОтказа": ("reasons", "reason"),
    "Document_CRM_Лид": ("leads", "lead"),
    "Document_CRM_Интерес": ("deals", "deal"),
    "InformationRegister_CRM_ИсторияСостоянийИнтересов": ("deal_state_history", "deal_state_change"),
    "Document_CRM_Взаимодействие": ("interactions", "interaction"),
}

# (entity set, section) -> model name; the default is "<singular>_lines"
SECTION_MODELS = {
    ("Document_ВводОстатков", "Товары"): "opening_stock",
    ("Document_ВводОстатков", "ДенежныеСредства"): "opening_cash",
    ("Document_ВводОстатков", "Расчеты"): "opening_settlements",
    ("Document_ПриобретениеУслугПрочихАктивов", "Расходы"): "service_purchase_lines",
    ("Document_ПрочиеРасходы", "Расходы"): "expense_accrual_lines",
}

COLUMNS = {
    "DataVersion": "data_version", "DeletionMark": "is_deleted", "Code": "code", "Description": "name",
    "Number": "document_number", "Date": "document_date", "Posted": "is_posted", "Period": "period",
    "IsFolder": "is_group", "Parent_Key": "parent_id", "LineNumber": "line_number",
    "ИНН": "inn", "КПП": "kpp", "НаименованиеПолное": "full_name", "Подразделение_Key": "division_id",
    "ВнутреннийНомер": "extension", "Телефон": "phone", "Недействителен": "is_inactive", "Клиент": "is_client",
    "Поставщик": "is_supplier", "ОсновнойМенеджер_Key": "main_manager_id", "ЭлектроннаяПочта": "email",
    "ДатаРегистрации": "registered_at", "Партнер_Key": "partner_id", "ЮрФизЛицо": "legal_form",
    "Контрагент_Key": "counterparty_id", "Организация_Key": "organization_id", "ТипДоговора": "contract_kind",
    "Номер": "number", "Дата": "dated", "ВалютаВзаиморасчетов_Key": "settlement_currency_id",
    "СрокОплаты": "payment_terms_days", "ДетализацияРасчетов": "settlement_detail", "Артикул": "article",
    "ЕдиницаИзмерения": "unit", "ВесНетто": "net_weight_kg", "ВесБрутто": "gross_weight_kg", "Объем": "volume_m3",
    "КодТНВЭД": "hs_code", "ПодЗаказ": "is_made_to_order", "ИспользоватьСерии": "uses_series",
    "Номенклатура_Key": "item_id", "ДатаПроизводства": "produced_on", "ВидДвижения": "direction",
    "РазделБДДС": "cash_flow_section", "ВариантРаспределенияРасходов": "allocation_variant",
    "Косвенный": "is_indirect", "Валюта_Key": "currency_id", "Курс": "rate", "Кратность": "rate_units",
    "ТипОперации": "balance_kind", "Комментарий": "comment", "Серия_Key": "series_id",
    "Склад_Key": "warehouse_id", "Количество": "quantity", "Сумма": "amount",
    "ВидДенежныхСредств": "money_kind", "Договор_Key": "contract_id", "Менеджер_Key": "manager_id",
    "Интерес_Key": "deal_id", "Статус": "status", "ЖелаемаяДатаОтгрузки": "promised_on",
    "ЦенаВключаетНДС": "price_includes_vat", "СуммаДокумента": "document_amount", "Цена": "price",
    "СтавкаНДС": "vat_rate_code", "СуммаНДС": "vat_amount", "ЗаказКлиента_Key": "customer_order_id",
    "Референс": "supplier_reference", "ДатаГотовности": "ready_on", "ГосНомер": "truck_plate",
    "ДатаЗагрузки": "loaded_on", "СтоимостьУпаковки": "packaging_cost", "СтоимостьПеревозки": "transport_cost",
    "ЗаказПоставщику_Key": "supplier_order_id", "НомерИнвойса": "invoice_number", "ДатаИнвойса": "invoice_date",
    "КоличествоМест": "packages", "ХозяйственнаяОперация": "operation", "ТоварВМашине_Key": "truck_load_id",
    "НомерДекларации": "declaration_number", "ДокументПоступления_Key": "receipt_id",
    "ТаможенныйСбор": "customs_fee", "СуммаПошлины": "duty_amount", "ТаможеннаяСтоимость": "customs_value",
    "СтавкаПошлины": "duty_rate_pct", "СтатьяРасходов_Key": "expense_article_id",
    "АналитикаРасходов": "cost_object_id", "АналитикаРасходов_Type": "cost_object_type",
    "ДокументРеализации_Key": "shipment_id", "НомерВходящегоДокумента": "payer_document_number",
    "НазначениеПлатежа": "payment_purpose", "Заказ": "order_id", "Заказ_Type": "order_type",
    "СтатьяДвиженияДенежныхСредств_Key": "cash_flow_article_id", "ПериодНачисления": "accrual_month",
    "Порядок": "position", "Завершающее": "is_final", "ВидПричины": "reason_kind",
    "КаналПривлечения": "channel", "ИсточникUTM": "utm_source", "КампанияUTM": "utm_campaign",
    "НомерЛинии": "tracked_line", "Компания": "company_name", "Ответственный_Key": "manager_id",
    "ПричинаОтказа_Key": "rejection_reason_id", "Лид_Key": "lead_id", "Состояние_Key": "state_id",
    "ДатаСостояния": "state_set_at", "Выручка": "expected_revenue", "ПричинаПроигрыша_Key": "lost_reason_id",
    "ДатаЗавершения": "closed_at", "Пользователь_Key": "user_id", "ВидВзаимодействия": "interaction_kind",
    "Входящее": "is_inbound", "Тема": "subject", "Состояние": "interaction_state",
}

COMPOSITE_IDS = {"Заказ", "АналитикаРасходов"}  # Edm.String GUIDs of composite references
MONEY_WORDS = ("Сумма", "Цена", "Стоимость", "Выручка", "ТаможенныйСбор")
EMPTY_REF = "'00000000-0000-0000-0000-000000000000'"
EMPTY_DATE = "'0001-01-01 00:00:00'::timestamp"


def column_name(entity: EntitySet, field: Field) -> str:
    if field.name == "Ref_Key":
        return f"{MODELS[entity.name][1]}_id"
    try:
        return COLUMNS[field.name]
    except KeyError:
        raise KeyError(f"{entity.name}.{field.name}: no English name in ingestion/onec/staging.py") from None


def expression(field: Field) -> tuple[str, str]:
    """(SQL expression over the raw column, its type) for one field."""
    col = f'"{field.name}"'
    if field.name in COMPOSITE_IDS:
        return f"nullif({col}, {EMPTY_REF})::uuid", "uuid"
    if field.name.endswith("_Type"):
        return f"nullif(replace({col}, 'StandardODATA.', ''), 'Undefined')", "text"
    if field.edm == "Edm.Guid":
        return f"nullif({col}, {EMPTY_REF}::uuid)", "uuid"
    if field.edm == "Edm.DateTime":
        return f"nullif({col}, {EMPTY_DATE})", "timestamp"
    if field.edm == "Edm.Double":
        if any(word in field.name for word in MONEY_WORDS):
            return f"round({col}, 2)::numeric(18, 2)", "numeric(18,2)"
        if field.name == "Курс":
            return f"{col}::numeric(18, 6)", "numeric(18,6)"
        return f"{col}::numeric(18, 3)", "numeric(18,3)"
    if field.edm == "Edm.Int64":
        return f"{col}::bigint", "bigint"
    if field.edm == "Edm.Boolean":
        return col, "boolean"
    return col, "text"


def _select(entity: EntitySet, fields, alias: str = "") -> list[str]:
    prefix = f"{alias}." if alias else ""
    lines = []
    for f in fields:
        expr, _ = expression(f)
        expr = expr.replace(f'"{f.name}"', f'{prefix}"{f.name}"')
        lines.append(f"    {expr} as {column_name(entity, f)}")
    return lines


def comment(text: str) -> str:
    return "\n".join(f"-- {line}" for line in textwrap.wrap(text, 110)) + "\n"


def header_sql(entity: EntitySet) -> str:
    table = onec_table(entity.name).table
    is_document = entity.name.startswith("Document_")
    where = '\nwhere "Posted" and not "DeletionMark"' if is_document else ""
    note = ("-- Posted, not deletion-marked documents only: the others do not count in any report.\n"
            if is_document else "")
    fields = [f for f in entity.fields if not (is_document and f.name in ("Posted", "DeletionMark"))]
    body = ",\n".join(_select(entity, fields))
    return (f"{comment(f'{entity.name}: {entity.meaning}')}{note}select\n{body}\n"
            f"from {{{{ source('onec_{entity.base}', '{table}') }}}}{where}\n")


def section_sql(entity: EntitySet, section: TabularSection, header_model: str) -> str:
    table = next(c.table for c in onec_table(entity.name).children if c.list_field == section.name)
    singular = MODELS[entity.name][1]
    body = ",\n".join([f'    l."Ref_Key" as {singular}_id', '    l."LineNumber"::integer as line_number',
                       *_select(entity, section.fields, "l")])
    return (comment(f"{entity.name}.{section.name}: {section.meaning}") +
            f"-- Lines of the documents kept in {header_model} only.\nselect\n{body}\n"
            f"from {{{{ source('onec_{entity.base}', '{table}') }}}} as l\n"
            f"where\n    exists (\n        select 1\n        from {{{{ ref('{header_model}') }}}} as h\n"
            f"        where h.{singular}_id = l.\"Ref_Key\"\n    )\n")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _columns_yml(entity: EntitySet, fields, extra_first: list[str] = ()) -> list[str]:
    out = list(extra_first)
    for f in fields:
        _, typ = expression(f)
        meaning = f.meaning + (f" (1C: {f.name}, «{f.russian}»)" if f.russian else f" (1C: {f.name})")
        out += [f"      - name: {column_name(entity, f)}", f"        description: {_quote(meaning + '; ' + typ)}"]
    return out


def _unique_combination(columns: list[str]) -> list[str]:
    return ["    data_tests:", "      - unique_combination:", "          arguments:",
            f"            columns: [{', '.join(columns)}]"]


def header_yml(entity: EntitySet, model: str) -> str:
    is_document = entity.name.startswith("Document_")
    fields = [f for f in entity.fields if not (is_document and f.name in ("Posted", "DeletionMark"))]
    lines = ["version: 2", "", "models:", f"  - name: {model}",
             f"    description: {_quote(f'{entity.meaning}. 1C entity set {entity.name}.')}", "    columns:"]
    body = _columns_yml(entity, fields)
    key_cols = [column_name(entity, entity.field(k)) for k in entity.key]
    if len(key_cols) == 1:
        body.insert(body.index(f"      - name: {key_cols[0]}") + 2, "        data_tests: [unique, not_null]")
        lines += body
    else:
        lines += body + _unique_combination(key_cols)
    return "\n".join(lines) + "\n"


def section_yml(entity: EntitySet, section: TabularSection, model: str, header_model: str) -> str:
    singular = MODELS[entity.name][1]
    first = [f"      - name: {singular}_id", f"        description: {_quote(f'the {singular} the line belongs to')}",
             "        data_tests:", "          - not_null", "          - relationships:", "              arguments:",
             f"                to: ref('{header_model}')", f"                field: {singular}_id",
             "      - name: line_number", "        description: \"line number in the document (1C: LineNumber)\"",
             "        data_tests: [not_null]"]
    lines = ["version: 2", "", "models:", f"  - name: {model}",
             f"    description: {_quote(f'{section.meaning}: the {section.name} section of {entity.name}.')}",
             "    columns:"]
    lines += _columns_yml(entity, section.fields, first)
    lines += _unique_combination([f"{singular}_id", "line_number"])
    return "\n".join(lines) + "\n"


def sources_yml(base: str) -> str:
    lines = ["version: 2", "", "sources:", f"  - name: onec_{base}", "    schema: raw",
             f"    description: \"1C {'trade system (УТ 11)' if base == 'trade' else 'CRM'} loaded by ingestion\"",
             "    tables:"]
    for name, entity in ENTITY_SETS.items():
        if entity.base != base:
            continue
        spec = onec_table(name)
        for table, described in [(spec.table, f"{name}: {entity.meaning}"),
                                 *((c.table, f"{c.entity}: tabular section") for c in spec.children)]:
            lines += [f"      - name: {table}", f"        description: {_quote(described)}",
                      f"        meta: {{dagster: {{asset_key: [\"raw\", \"{table}\"]}}}}"]
    return "\n".join(lines) + "\n"


def render() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for base in ("trade", "crm"):
        files[STAGING / f"onec_{base}" / f"_onec_{base}__sources.yml"] = sources_yml(base)
    for name, entity in ENTITY_SETS.items():
        folder = STAGING / f"onec_{entity.base}"
        header_model = f"stg_onec_{entity.base}__{MODELS[name][0]}"
        files[folder / f"{header_model}.sql"] = header_sql(entity)
        files[folder / f"{header_model}.yml"] = header_yml(entity, header_model)
        for section in entity.sections:
            suffix = SECTION_MODELS.get((name, section.name), f"{MODELS[name][1]}_lines")
            model = f"stg_onec_{entity.base}__{suffix}"
            files[folder / f"{model}.sql"] = section_sql(entity, section, header_model)
            files[folder / f"{model}.yml"] = section_yml(entity, section, model, header_model)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m ingestion.onec.staging", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when files differ")
    args = parser.parse_args()
    files = render()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in stale:
            print(f"out of date: {p.relative_to(STAGING.parents[2])}")
        sys.exit(1 if stale else 0)
    for p in stale:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(files[p], encoding="utf-8")
    print(f"staging: {len(files)} files, {len(stale)} rewritten")


if __name__ == "__main__":
    main()
