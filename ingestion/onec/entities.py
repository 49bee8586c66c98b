"""The registry of 1C entity sets we read: trade system (УТ 11) and CRM.

Keep entries in a stable order: generation, `$metadata` and docs iterate it as written.
Both infobases are synchronised the 1C way (partners, users and items keep the same
GUIDs in both), so CRM objects reference trade catalogs by their `_Key`.

Naming choices where a real configuration varies (documented in docs/sources.md):
- `Document_ТоварВМашине` and `Document_ПрочиеРасходы` are custom documents
  (seed 003's truck load; monthly accruals of rent, payroll, marketing, logistics, bank fees);
- leads are `Document_CRM_Лид`, deal state changes `InformationRegister_CRM_ИсторияСостоянийИнтересов`;
- a composite reference (`Заказ` + `Заказ_Type`) is an Edm.String GUID plus the
  `StandardODATA.<EntitySet>` type name; an empty one is the empty GUID with `StandardODATA.Undefined`.
"""

from __future__ import annotations

from ingestion.onec.schema import EntitySet, F, Field, TabularSection, catalog, document

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


def composite(name: str, meaning: str, russian: str) -> tuple[Field, Field]:
    """A composite-type attribute: the referenced GUID and its `StandardODATA.<EntitySet>` type."""
    return (
        F(name, "Edm.String", meaning + " (GUID; empty GUID when not set)", russian),
        F(f"{name}_Type", "Edm.String", f"entity set of {name}, e.g. StandardODATA.Document_ЗаказКлиента",
          russian + " (тип)"),
    )


def goods_lines(meaning: str, *extra: Field, vat: bool = True) -> TabularSection:
    """The usual goods section: item, quantity, price, amount (+ VAT), with per-document extras."""
    money = (
        F("Количество", "Edm.Double", "quantity", "Количество"),
        F("Цена", "Edm.Double", "price in the document currency (incl. VAT where VAT applies)", "Цена"),
        F("Сумма", "Edm.Double", "line amount = round(quantity × price, 2)", "Сумма"),
    )
    taxes = (
        F("СтавкаНДС", "Edm.String", "VAT rate: НДС20, НДС22 or БезНДС", "Ставка НДС"),
        F("СуммаНДС", "Edm.Double", "VAT inside the line amount, rounded per line", "Сумма НДС"),
    ) if vat else ()
    item = F("Номенклатура_Key", "Edm.Guid", "item", "Номенклатура")
    return TabularSection("Товары", meaning, (item, *extra, *money, *taxes))


ORG = F("Организация_Key", "Edm.Guid", "own legal entity", "Организация")
COUNTERPARTY = F("Контрагент_Key", "Edm.Guid", "counterparty", "Контрагент")
PARTNER = F("Партнер_Key", "Edm.Guid", "partner", "Партнер")
CONTRACT = F("Договор_Key", "Edm.Guid", "contract", "Договор")
CURRENCY = F("Валюта_Key", "Edm.Guid", "document currency", "Валюта")
WAREHOUSE = F("Склад_Key", "Edm.Guid", "warehouse", "Склад")
DIVISION = F("Подразделение_Key", "Edm.Guid", "division (cost/profit centre)", "Подразделение")
MANAGER = F("Менеджер_Key", "Edm.Guid", "responsible manager (user)", "Менеджер")
TOTAL = F("СуммаДокумента", "Edm.Double", "document total in its currency (incl. VAT where VAT applies)",
          "Сумма документа")
OPERATION = F("ХозяйственнаяОперация", "Edm.String", "business operation (enumeration value name)",
              "Хозяйственная операция")
COMMENT = F("Комментарий", "Edm.String", "free comment", "Комментарий")
ITEM = F("Номенклатура_Key", "Edm.Guid", "item", "Номенклатура")
SERIES = F("Серия_Key", "Edm.Guid", "series (batch); empty reference when not named", "Серия")
CASH_ARTICLE = F("СтатьяДвиженияДенежныхСредств_Key", "Edm.Guid", "cash-flow article", "Статья движения ДС")
EXPENSE_ARTICLE = F("СтатьяРасходов_Key", "Edm.Guid", "expense article", "Статья расходов")

PAYMENT_LINES = TabularSection("РасшифровкаПлатежа", "how the payment settles: per order and cash-flow article", (
    *composite("Заказ", "customer or supplier order the line settles", "Заказ"),
    F("Договор_Key", "Edm.Guid", "contract settled", "Договор"),
    CASH_ARTICLE,
    F("Сумма", "Edm.Double", "line amount in the document currency", "Сумма"),
))


# --- trade system: catalogs -------------------------------------------------

register(
    catalog(
        "Организации", "trade", "own legal entities of the company",
        F("ИНН", "Edm.String", "tax id (INN)", "ИНН"),
        F("КПП", "Edm.String", "tax registration reason code", "КПП"),
    ),
    catalog(
        "Валюты", "trade", "currencies; Code is the ISO numeric code, Description the ISO letter code",
        F("НаименованиеПолное", "Edm.String", "full currency name", "Наименование полное"),
    ),
    catalog(
        "Подразделения", "trade", "divisions (cost and profit centres)",
        F("Parent_Key", "Edm.Guid", "parent division", "Родитель"),
    ),
    catalog(
        "Пользователи", "trade", "users: managers and staff",
        DIVISION,
        F("ВнутреннийНомер", "Edm.String", "PBX extension (Mango from_extension / to_extension)", "Внутренний номер"),
        F("Телефон", "Edm.String", "mobile number, +7XXXXXXXXXX", "Телефон"),
        F("Недействителен", "Edm.Boolean", "user left the company", "Недействителен"),
    ),
    catalog(
        "Склады", "trade", "warehouses",
        DIVISION,
    ),
    catalog(
        "Партнеры", "trade", "business partners: clients, suppliers, service vendors",
        F("Клиент", "Edm.Boolean", "is a client", "Клиент"),
        F("Поставщик", "Edm.Boolean", "is a supplier or vendor", "Поставщик"),
        F("ОсновнойМенеджер_Key", "Edm.Guid", "main manager (user)", "Основной менеджер"),
        F("Телефон", "Edm.String", "phone, +7XXXXXXXXXX (calls are matched by it)", "Телефон"),
        F("ЭлектроннаяПочта", "Edm.String", "e-mail", "Электронная почта"),
        F("ДатаРегистрации", "Edm.DateTime", "date the partner was registered", "Дата регистрации"),
    ),
    catalog(
        "Контрагенты", "trade", "counterparty: the legal entity of a partner",
        F("Партнер_Key", "Edm.Guid", "partner this legal entity belongs to", "Партнер"),
        F("ИНН", "Edm.String", "tax id (INN)", "ИНН"),
        F("КПП", "Edm.String", "tax registration reason code", "КПП"),
        F("ЮрФизЛицо", "Edm.String", "ЮрЛицо, ИндивидуальныйПредприниматель or ФизЛицо", "Юр/физ лицо"),
    ),
    catalog(
        "ДоговорыКонтрагентов", "trade", "contracts with counterparties: payment terms and settlement currency",
        COUNTERPARTY,
        PARTNER,
        ORG,
        F("ТипДоговора", "Edm.String", "СПокупателем or СПоставщиком", "Тип договора"),
        F("Номер", "Edm.String", "contract number", "Номер"),
        F("Дата", "Edm.DateTime", "contract date", "Дата"),
        F("ВалютаВзаиморасчетов_Key", "Edm.Guid", "settlement currency", "Валюта взаиморасчетов"),
        F("СрокОплаты", "Edm.Int64", "payment terms: days of deferment after shipment (0 = prepayment)",
          "Срок оплаты (дней)"),
        F("ДетализацияРасчетов", "Edm.String", "ПоЗаказам (settle by order) or ПоДоговорам", "Детализация расчетов"),
    ),
    catalog(
        "Номенклатура", "trade", "items; groups are folders (IsFolder) and items point to them by Parent_Key",
        F("IsFolder", "Edm.Boolean", "this row is an item group", "Это группа"),
        F("Parent_Key", "Edm.Guid", "item group", "Родитель (группа)"),
        F("Артикул", "Edm.String", "article (supplier code)", "Артикул"),
        F("ЕдиницаИзмерения", "Edm.String", "unit of measure", "Единица измерения"),
        F("ВесНетто", "Edm.Double", "net weight of one unit, kg", "Вес нетто"),
        F("ВесБрутто", "Edm.Double", "gross weight of one unit with packaging, kg", "Вес брутто"),
        F("Объем", "Edm.Double", "volume of one unit, m³", "Объем"),
        F("КодТНВЭД", "Edm.String", "customs commodity code", "Код ТН ВЭД"),
        F("ПодЗаказ", "Edm.Boolean", "made to order (imported per customer order) rather than held in stock",
          "Обеспечение под заказ"),
        F("ИспользоватьСерии", "Edm.Boolean", "tracked by series", "Использовать серии"),
    ),
    catalog(
        "СерииНоменклатуры", "trade", "series (batches): one per receipt line of an item",
        ITEM,
        F("Номер", "Edm.String", "series number (serial or lot)", "Номер"),
        F("ДатаПроизводства", "Edm.DateTime", "production date", "Дата производства"),
    ),
    catalog(
        "СтатьиДвиженияДенежныхСредств", "trade", "cash-flow articles: every payment line names one",
        F("ВидДвижения", "Edm.String", "Поступление (inflow) or Выплата (outflow)", "Вид движения"),
        F("РазделБДДС", "Edm.String", "Операционная, Инвестиционная or Финансовая деятельность", "Раздел БДДС"),
    ),
    EntitySet(
        "ChartOfCharacteristicTypes_СтатьиРасходов", "trade", "expense articles: landed-cost, direct deal and overhead",
        (
            F("Ref_Key", "Edm.Guid", "object reference (GUID)", "Ссылка"),
            F("DataVersion", "Edm.String", "opaque version stamp, changes on every write", "ВерсияДанных"),
            F("DeletionMark", "Edm.Boolean", "marked for deletion", "ПометкаУдаления"),
            F("Code", "Edm.String", "article code", "Код"),
            F("Description", "Edm.String", "name", "Наименование"),
            F("ВариантРаспределенияРасходов", "Edm.String",
              "НаСебестоимостьТоваров (landed cost), НаЗаказКлиента (direct deal cost) "
              "or НаНаправленияДеятельности (overhead)", "Вариант распределения расходов"),
            F("Косвенный", "Edm.Boolean", "indirect (overhead) article, allocated monthly", "Косвенный"),
        ),
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
        "ВводОстатков", "trade", "opening balances at the start of accounting (one document per balance kind)",
        ORG,
        F("ТипОперации", "Edm.String",
          "ОстаткиТоваров, ОстаткиДенежныхСредств, ОстаткиРасчетовСКлиентами or ОстаткиРасчетовСПоставщиками",
          "Тип операции"),
        COMMENT,
        sections=(
            TabularSection("Товары", "stock at opening: item, series, warehouse, quantity, cost net of VAT", (
                ITEM, SERIES, WAREHOUSE,
                F("Количество", "Edm.Double", "quantity", "Количество"),
                F("Сумма", "Edm.Double", "cost in RUB, net of VAT", "Сумма (себестоимость)"),
            )),
            TabularSection("ДенежныеСредства", "money at opening", (
                F("ВидДенежныхСредств", "Edm.String", "Безналичные (bank) or Наличные (cash desk)",
                  "Вид денежных средств"),
                F("Сумма", "Edm.Double", "amount in RUB", "Сумма"),
            )),
            TabularSection("Расчеты", "partner balances at opening", (
                COUNTERPARTY, CONTRACT,
                F("Сумма", "Edm.Double",
                  "RUB; for clients what they owe us (receivable), for suppliers what we owe them (payable)",
                  "Сумма долга"),
                F("СрокОплаты", "Edm.DateTime", "due date of the balance", "Срок оплаты"),
            )),
        ),
    ),
    document(
        "ЗаказКлиента", "trade", "customer order: one truck / one delivery of a deal",
        ORG, PARTNER, COUNTERPARTY, CONTRACT, WAREHOUSE, DIVISION, MANAGER, CURRENCY,
        F("Интерес_Key", "Edm.Guid", "CRM deal (interest) the order belongs to; empty for sales without a deal",
          "Интерес"),
        F("Статус", "Edm.String", "НеСогласован, КОбеспечению, КОтгрузке, Закрыт or Отменен", "Статус"),
        F("ЖелаемаяДатаОтгрузки", "Edm.DateTime", "promised shipment date", "Желаемая дата отгрузки"),
        F("ЦенаВключаетНДС", "Edm.Boolean", "prices include VAT", "Цена включает НДС"),
        TOTAL,
        sections=(goods_lines("ordered goods"),),
    ),
    document(
        "ЗаказПоставщику", "trade",
        "supplier order: made-to-order import (EUR), stock import (CNY) or local purchase (RUB)",
        ORG, PARTNER, COUNTERPARTY, CONTRACT, WAREHOUSE, DIVISION, CURRENCY,
        F("ЗаказКлиента_Key", "Edm.Guid", "customer order this purchase is made for; empty for stock", "Заказ клиента"),
        F("Референс", "Edm.String", "supplier's reference", "Референс"),
        F("ДатаГотовности", "Edm.DateTime", "date the supplier promises the goods ready", "Дата готовности"),
        F("ЦенаВключаетНДС", "Edm.Boolean", "prices include VAT", "Цена включает НДС"),
        TOTAL,
        sections=(goods_lines("ordered goods"),),
    ),
    document(
        "ТоварВМашине", "trade",
        "truck load (custom document, seed 003): supplier invoice lines loaded on one truck; packaging and "
        "transport costs here are the invoice figures for reference, the money is in ПриобретениеУслугПрочихАктивов",
        ORG, PARTNER, COUNTERPARTY, CONTRACT, CURRENCY,
        F("ГосНомер", "Edm.String", "truck plate number", "Гос. номер машины"),
        F("ДатаЗагрузки", "Edm.DateTime", "loading date", "Дата загрузки"),
        F("Статус", "Edm.String", "Загружен, ВПути or Прибыл", "Статус"),
        F("СтоимостьУпаковки", "Edm.Double", "packaging cost on the invoice, document currency", "Стоимость упаковки"),
        F("СтоимостьПеревозки", "Edm.Double", "transport cost quoted, RUB", "Стоимость перевозки"),
        TOTAL,
        sections=(goods_lines(
            "invoice lines loaded",
            F("ЗаказПоставщику_Key", "Edm.Guid", "supplier order of the line", "Заказ поставщику"),
            SERIES,
            F("НомерИнвойса", "Edm.String", "supplier invoice number", "Номер инвойса"),
            F("ДатаИнвойса", "Edm.DateTime", "supplier invoice date", "Дата инвойса"),
            F("ВесБрутто", "Edm.Double", "gross weight of the line, kg", "GROSSWEIGHT"),
            F("ВесНетто", "Edm.Double", "net weight of the line, kg", "NETWEIGHT"),
            F("КоличествоМест", "Edm.Int64", "packages", "PACKAGESNR"),
            F("КодТНВЭД", "Edm.String", "customs commodity code", "ТН ВЭД"),
            vat=False,
        ),),
    ),
    document(
        "ПриобретениеТоваровУслуг", "trade", "goods receipt: every line creates a series",
        ORG, PARTNER, COUNTERPARTY, CONTRACT, WAREHOUSE, DIVISION, CURRENCY, OPERATION,
        F("ЗаказПоставщику_Key", "Edm.Guid", "supplier order received (the first one when a truck carries several)",
          "Заказ поставщику"),
        F("ТоварВМашине_Key", "Edm.Guid", "truck load received; empty for local purchases", "Товар в машине"),
        F("ЦенаВключаетНДС", "Edm.Boolean", "prices include VAT", "Цена включает НДС"),
        TOTAL,
        sections=(goods_lines(
            "received goods",
            SERIES,
            F("ЗаказПоставщику_Key", "Edm.Guid", "supplier order of the line", "Заказ поставщику"),
        ),),
    ),
    document(
        "ТаможеннаяДекларацияИмпорт", "trade",
        "import customs declaration: per-line customs value, duty rate and duty, import VAT; one customs fee",
        ORG, COUNTERPARTY, CONTRACT,
        F("НомерДекларации", "Edm.String", "declaration number", "№ декларации"),
        F("ТоварВМашине_Key", "Edm.Guid", "truck load declared", "Товар в машине"),
        F("ДокументПоступления_Key", "Edm.Guid", "goods receipt of the declared goods", "Документ поступления"),
        F("ТаможенныйСбор", "Edm.Double", "customs fee, RUB", "Таможенный сбор"),
        F("СуммаПошлины", "Edm.Double", "total duty, RUB (= Σ lines)", "Общая сумма пошлины"),
        F("СуммаНДС", "Edm.Double", "total import VAT, RUB (= Σ lines)", "Сумма НДС"),
        sections=(TabularSection("Товары", "declared goods", (
            ITEM, SERIES,
            F("ТаможеннаяСтоимость", "Edm.Double", "customs value, RUB", "Таможенная стоимость"),
            F("СтавкаПошлины", "Edm.Double", "duty rate, percent", "Ставка пошлины"),
            F("СуммаПошлины", "Edm.Double", "duty = round(customs value × rate / 100, 2)", "Сумма пошлины"),
            F("СуммаНДС", "Edm.Double", "import VAT = round((customs value + duty) × VAT rate, 2)", "Сумма НДС"),
        )),),
    ),
    document(
        "ПриобретениеУслугПрочихАктивов", "trade",
        "purchased services: additional (landed) costs attached to a receipt, truck or customs declaration, "
        "and direct deal costs attached to a customer order",
        ORG, PARTNER, COUNTERPARTY, CONTRACT, CURRENCY, TOTAL, COMMENT,
        sections=(TabularSection("Расходы", "cost lines", (
            EXPENSE_ARTICLE,
            *composite("АналитикаРасходов", "what the cost is attached to: receipt, truck, customs declaration "
                       "or customer order", "Аналитика расходов"),
            DIVISION,
            F("Сумма", "Edm.Double", "amount incl. VAT", "Сумма"),
            F("СтавкаНДС", "Edm.String", "VAT rate", "Ставка НДС"),
            F("СуммаНДС", "Edm.Double", "VAT inside the amount", "Сумма НДС"),
        )),),
    ),
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
        ORG, PARTNER, COMMENT,
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
    document(
        "ВозвратТоваровОтКлиента", "trade", "customer return of part of a shipment, back to the shipped series",
        ORG, PARTNER, COUNTERPARTY, CONTRACT, WAREHOUSE, DIVISION, MANAGER, CURRENCY,
        F("ДокументРеализации_Key", "Edm.Guid", "shipment returned", "Документ реализации"),
        F("ЗаказКлиента_Key", "Edm.Guid", "customer order of the shipment", "Заказ клиента"),
        TOTAL,
        sections=(goods_lines("returned goods", SERIES),),
    ),
    document(
        "ПоступлениеБезналичныхДенежныхСредств", "trade", "incoming bank payment",
        ORG, COUNTERPARTY, CURRENCY, OPERATION,
        F("НомерВходящегоДокумента", "Edm.String", "payer's payment order number", "Вх. номер"),
        TOTAL,
        F("НазначениеПлатежа", "Edm.String", "payment purpose text", "Назначение платежа"),
        sections=(PAYMENT_LINES,),
    ),
    document(
        "СписаниеБезналичныхДенежныхСредств", "trade", "outgoing bank payment",
        ORG, COUNTERPARTY, CURRENCY, OPERATION, TOTAL,
        F("НазначениеПлатежа", "Edm.String", "payment purpose text", "Назначение платежа"),
        sections=(PAYMENT_LINES,),
    ),
    document(
        "ПриходныйКассовыйОрдер", "trade", "cash-desk receipt",
        ORG, COUNTERPARTY, CURRENCY, OPERATION, TOTAL,
        sections=(PAYMENT_LINES,),
    ),
    document(
        "РасходныйКассовыйОрдер", "trade", "cash-desk payment",
        ORG, COUNTERPARTY, CURRENCY, OPERATION, TOTAL,
        sections=(PAYMENT_LINES,),
    ),
    document(
        "ПрочиеРасходы", "trade",
        "expense accrual (custom document): rent, payroll, marketing, warehouse logistics, bank fees; "
        "one document per month and article, lines per division",
        ORG, COUNTERPARTY, EXPENSE_ARTICLE,
        F("ПериодНачисления", "Edm.DateTime", "first day of the month the expense belongs to", "Период начисления"),
        TOTAL, COMMENT,
        sections=(TabularSection("Расходы", "amount per division", (
            DIVISION,
            F("Сумма", "Edm.Double", "amount, RUB (VAT not recoverable)", "Сумма"),
        )),),
    ),
)

# --- CRM --------------------------------------------------------------------

register(
    catalog(
        "CRM_СостоянияИнтересов", "crm", "deal (interest) states in funnel order; Code is the position",
        F("Порядок", "Edm.Int64", "position in the funnel", "Порядок"),
        F("Завершающее", "Edm.Boolean", "final state (won or lost)", "Завершающее"),
    ),
    catalog(
        "CRM_ПричиныОтказа", "crm", "reasons a lead is rejected as non-target or a deal is lost",
        F("ВидПричины", "Edm.String", "Лид (non-target lead) or Интерес (lost deal)", "Вид причины"),
    ),
    document(
        "CRM_Лид", "crm", "lead: a first contact with its channel, source and campaign",
        F("КаналПривлечения", "Edm.String", "channel: ЭлектроннаяПочта, ФормаНаСайте, Телефон, Мессенджер, "
          "Маркетплейс or ОбратныйЗвонок", "Канал привлечения"),
        F("ИсточникUTM", "Edm.String", "utm_source", "Источник (UTM)"),
        F("КампанияUTM", "Edm.String", "utm_campaign", "Кампания (UTM)"),
        F("НомерЛинии", "Edm.String", "tracked phone line called (Mango line_number); empty if not by phone",
          "Номер линии"),
        F("Телефон", "Edm.String", "contact phone, +7XXXXXXXXXX", "Телефон"),
        F("ЭлектроннаяПочта", "Edm.String", "contact e-mail", "Электронная почта"),
        F("Компания", "Edm.String", "company name as given", "Компания"),
        F("Ответственный_Key", "Edm.Guid", "manager who took the lead", "Ответственный"),
        F("Партнер_Key", "Edm.Guid", "partner identified or created; empty for non-target leads", "Партнер"),
        F("Статус", "Edm.String", "Новый, Квалифицирован or Отклонен", "Статус"),
        F("ПричинаОтказа_Key", "Edm.Guid", "why the lead was rejected as non-target", "Причина отказа"),
        F("Интерес_Key", "Edm.Guid", "deal opened from the lead", "Интерес"),
    ),
    document(
        "CRM_Интерес", "crm", "deal (interest): groups the customer orders of one sale",
        F("Партнер_Key", "Edm.Guid", "client partner", "Клиент"),
        F("Ответственный_Key", "Edm.Guid", "responsible manager", "Ответственный"),
        F("Лид_Key", "Edm.Guid", "lead that opened the deal", "Лид"),
        F("Подразделение_Key", "Edm.Guid", "division", "Подразделение"),
        F("Состояние_Key", "Edm.Guid", "current state", "Состояние"),
        F("ДатаСостояния", "Edm.DateTime", "when the current state was set", "Дата состояния"),
        F("Выручка", "Edm.Double", "expected revenue, RUB incl. VAT", "Выручка"),
        F("ПричинаПроигрыша_Key", "Edm.Guid", "lost reason; empty unless lost", "Причина проигрыша"),
        F("ДатаЗавершения", "Edm.DateTime", "closing date; empty while open", "Дата завершения"),
    ),
    EntitySet(
        "InformationRegister_CRM_ИсторияСостоянийИнтересов", "crm",
        "every state change of a deal: the history behind funnel position and time in state",
        (
            F("Period", "Edm.DateTime", "when the state was set", "Период"),
            F("Интерес_Key", "Edm.Guid", "deal", "Интерес"),
            F("Состояние_Key", "Edm.Guid", "state set", "Состояние"),
            F("Пользователь_Key", "Edm.Guid", "user who set it", "Пользователь"),
        ),
        key=("Period", "Интерес_Key"),
    ),
    document(
        "CRM_Взаимодействие", "crm", "interaction with a client: call, e-mail, meeting, reminder",
        F("ВидВзаимодействия", "Edm.String", "ТелефонныйЗвонок, ЭлектронноеПисьмо, Встреча or Напоминание",
          "Вид взаимодействия"),
        F("Входящее", "Edm.Boolean", "initiated by the client", "Входящее"),
        F("Партнер_Key", "Edm.Guid", "client partner", "Клиент"),
        F("Интерес_Key", "Edm.Guid", "deal", "Интерес"),
        F("Ответственный_Key", "Edm.Guid", "manager", "Ответственный"),
        F("Телефон", "Edm.String", "phone called or calling", "Телефон"),
        F("Тема", "Edm.String", "subject", "Тема"),
        F("Состояние", "Edm.String", "Запланировано or Завершено", "Состояние"),
    ),
)
