"""The registry of 1C entity sets we read: trade system (УТ 11) and CRM.

Keep entries in a stable order: generation, `$metadata` and docs iterate it as written.
"""

from __future__ import annotations

from ingestion.onec.schema import EntitySet, F, TabularSection, catalog, document

ENTITY_SETS: dict[str, EntitySet] = {}


def register(*entity_sets: EntitySet) -> None:
    for es in entity_sets:
        if es.name in ENTITY_SETS:
            raise ValueError(f"entity set {es.name} registered twice")
        ENTITY_SETS[es.name] = es


def entity_set(name: str) -> EntitySet:
    try:
        return ENTITY_SETS[name]
    except KeyError:
        raise KeyError(f"unknown 1C entity set {name!r}") from None


def section_set_name(entity: EntitySet, section: TabularSection) -> str:
    return f"{entity.name}_{section.name}"


# --- trade system: catalogs -------------------------------------------------

register(
    catalog(
        "Контрагенты", "trade", "counterparty: the legal entity of a partner",
        F("Партнер_Key", "Edm.Guid", "partner this legal entity belongs to", "Партнер"),
        F("ИНН", "Edm.String", "tax id (INN)", "ИНН"),
        F("КПП", "Edm.String", "tax registration reason code", "КПП"),
    ),
)

# --- trade system: registers ------------------------------------------------

register(
    EntitySet(
        "InformationRegister_КурсыВалют", "trade", "daily currency rates to the base currency",
        (
            F("Period", "Edm.DateTime", "rate date", "Период"),
            F("Валюта_Key", "Edm.Guid", "currency", "Валюта"),
            F("Курс", "Edm.Double", "rate: roubles per Кратность units", "Курс"),
            F("Кратность", "Edm.Int64", "units the rate is quoted for", "Кратность"),
        ),
        key=("Period", "Валюта_Key"),
    ),
)

# --- trade system: documents ------------------------------------------------

register(
    document(
        "РеализацияТоваровУслуг", "trade", "shipment (sale) of goods to a customer",
        F("Контрагент_Key", "Edm.Guid", "customer counterparty", "Контрагент"),
        F("Договор_Key", "Edm.Guid", "contract", "Договор"),
        F("ЗаказКлиента_Key", "Edm.Guid", "customer order shipped", "Заказ клиента"),
        F("Склад_Key", "Edm.Guid", "warehouse shipped from", "Склад"),
        F("Подразделение_Key", "Edm.Guid", "division", "Подразделение"),
        F("Менеджер_Key", "Edm.Guid", "responsible manager (user)", "Менеджер"),
        F("Валюта_Key", "Edm.Guid", "document currency", "Валюта"),
        F("СуммаДокумента", "Edm.Double", "document total incl. VAT", "Сумма документа"),
        sections=(
            TabularSection("Товары", "shipped goods", (
                F("Номенклатура_Key", "Edm.Guid", "item", "Номенклатура"),
                F("Серия_Key", "Edm.Guid", "series shipped; empty reference when not named (FIFO)", "Серия"),
                F("Количество", "Edm.Double", "quantity", "Количество"),
                F("Цена", "Edm.Double", "price incl. VAT", "Цена"),
                F("Сумма", "Edm.Double", "line amount incl. VAT", "Сумма"),
                F("СтавкаНДС", "Edm.String", "VAT rate, e.g. НДС20", "Ставка НДС"),
                F("СуммаНДС", "Edm.Double", "VAT in the line", "Сумма НДС"),
            )),
        ),
    ),
)
