"""The company's catalogs: who sells what to whom, and the articles money and costs are booked to.

Built once at the start (opening day) and kept in memory: catalogs are small even at `large`
(new clients are added as leads arrive).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from ingestion.demo.sim import Sim
from ingestion.demo.values import EMPTY_REF, day_start

CLIENT_TERMS = (0, 14, 30, 45, 60)
CLIENT_TERMS_WEIGHTS = (35, 20, 25, 10, 10)


@dataclass
class Partner:
    """A partner with its one counterparty and one contract (what a payment or a document names)."""

    partner: str
    counterparty: str
    contract: str
    name: str
    currency: str = "RUB"
    terms: int = 0  # days of deferment after shipment
    by_order: bool = False  # settle by order (ДетализацияРасчетов = ПоЗаказам)
    phone: str = ""
    email: str = ""
    manager: str = EMPTY_REF
    person: bool = False  # a private person paying at the cash desk


@dataclass
class Item:
    ref: str
    code: str
    name: str
    group: str
    weight_net: float
    weight_gross: float
    volume: float
    hs_code: str
    to_order: bool
    duty_rate: int  # percent of customs value
    price_net: int  # list price, kopecks, net of VAT
    cost: int  # supplier price in supplier currency, hundredths (cents, fen, kopecks)
    supplier: str  # supplier key in Company.suppliers
    weekly: float = 0.0  # expected units sold a week (stock items): drives reorder points


@dataclass
class Manager:
    ref: str
    name: str
    extension: str
    phone: str
    division: str


@dataclass
class Company:
    org: str
    currencies: dict[str, str]  # ISO letter code -> Ref_Key
    divisions: dict[str, str]  # key -> Ref_Key
    warehouses: dict[str, str]
    managers: list[Manager]
    staff: dict[str, str]  # role -> user Ref_Key
    items: list[Item]
    clients: list[Partner]
    suppliers: dict[str, Partner]  # role -> supplier/vendor
    cash_articles: dict[str, str]  # key -> Ref_Key
    expense_articles: dict[str, str]


DIVISIONS = {
    "equipment": "Отдел продаж оборудования",
    "materials": "Отдел продаж материалов",
    "logistics": "Склад и логистика",
    "admin": "Администрация",
}

# role, name, currency, kind; the kind tells its partner flags and contract type
SUPPLIERS = (
    ("eur_wam", "WAM Maschinenbau GmbH", "EUR", "goods"),
    ("eur_bellini", "Bellini Macchine S.p.A.", "EUR", "goods"),
    ("cny_ningbo", "Ningbo Steel Products Co., Ltd.", "CNY", "goods"),
    ("rub_metall", "ООО «МеталлТорг»", "RUB", "goods"),
    ("rub_komplekt", "ООО «СтройКомплект»", "RUB", "goods"),
    ("carrier", "ООО «ТрансЛогистик»", "RUB", "service"),
    ("customs", "Федеральная таможенная служба", "RUB", "service"),
    ("broker", "ООО «Брокер-Сервис»", "RUB", "service"),
    ("certification", "ООО «Центр сертификации»", "RUB", "service"),
    ("delivery", "ООО «Деловые Линии»", "RUB", "service"),
    ("service", "ООО «ТехСервис»", "RUB", "service"),
    ("landlord", "ООО «БЦ Северный»", "RUB", "service"),
    ("yandex", "ООО «Яндекс»", "RUB", "service"),
    ("vk", "ООО «ВК»", "RUB", "service"),
    ("bank", "ПАО «Банк Развитие»", "RUB", "service"),
    ("tax", "УФНС России по г. Москве", "RUB", "service"),
    ("staff", "Сотрудники (ведомость)", "RUB", "service"),
)

# key, name, direction, section of the cash-flow budget
CASH_ARTICLES = (
    ("from_clients", "Поступление оплаты от клиентов", "Поступление", "Операционная"),
    ("cash_in", "Взнос наличных в банк", "Поступление", "Операционная"),
    ("from_suppliers", "Возврат от поставщиков", "Поступление", "Операционная"),
    ("refund_clients", "Возврат оплаты клиентам", "Выплата", "Операционная"),
    ("to_suppliers", "Оплата поставщикам товаров", "Выплата", "Операционная"),
    ("customs", "Таможенные платежи", "Выплата", "Операционная"),
    ("services", "Оплата транспортных и прочих услуг", "Выплата", "Операционная"),
    ("rent", "Аренда", "Выплата", "Операционная"),
    ("payroll", "Заработная плата", "Выплата", "Операционная"),
    ("marketing", "Реклама и маркетинг", "Выплата", "Операционная"),
    ("bank_fees", "Банковские комиссии", "Выплата", "Операционная"),
    ("taxes", "Налоги (НДС)", "Выплата", "Операционная"),
    ("cash_out", "Сдача наличных в банк", "Выплата", "Операционная"),
    ("loan_in", "Получение кредитов", "Поступление", "Финансовая"),
)

# key, name, distribution, indirect
EXPENSE_ARTICLES = (
    ("transport_in", "Транспорт до склада", "НаСебестоимостьТоваров", False),
    ("packaging", "Упаковка", "НаСебестоимостьТоваров", False),
    ("certification", "Сертификация", "НаСебестоимостьТоваров", False),
    ("broker", "Услуги таможенного брокера", "НаСебестоимостьТоваров", False),
    ("delivery_client", "Доставка до клиента", "НаЗаказКлиента", False),
    ("client_certificates", "Сертификаты для клиента", "НаЗаказКлиента", False),
    ("warranty", "Гарантийное обслуживание", "НаЗаказКлиента", False),
    ("specialist_visit", "Выезд специалиста", "НаЗаказКлиента", False),
    ("translation", "Перевод документации", "НаЗаказКлиента", False),
    ("rent", "Аренда офиса и склада", "НаНаправленияДеятельности", True),
    ("payroll", "Заработная плата", "НаНаправленияДеятельности", True),
    ("marketing", "Реклама и маркетинг", "НаНаправленияДеятельности", True),
    ("logistics", "Складская логистика", "НаНаправленияДеятельности", True),
    ("bank_fees", "Банковские комиссии", "НаНаправленияДеятельности", True),
)

CURRENCIES = (("RUB", "643", "Российский рубль"), ("EUR", "978", "Евро"),
              ("USD", "840", "Доллар США"), ("CNY", "156", "Китайский юань"))

# group name, made to order, supplier roles, weight range kg, unit price range (net RUB), duty rates
ITEM_GROUPS = (
    ("Насосное оборудование", True, ("eur_wam",), (40, 900), (180_000, 2_400_000), (0, 5)),
    ("Дозаторы и шнеки", True, ("eur_wam", "eur_bellini"), (60, 1500), (250_000, 3_500_000), (5,)),
    ("Станки", True, ("eur_bellini",), (300, 4000), (600_000, 6_000_000), (0, 5)),
    ("Шпунт и трубы", False, ("cny_ningbo", "rub_metall"), (30, 600), (6_000, 90_000), (5, 10)),
    ("Крепеж и фитинги", False, ("cny_ningbo", "rub_komplekt"), (0.2, 8), (150, 6_000), (10,)),
    ("Расходные материалы", False, ("rub_komplekt",), (0.5, 25), (300, 12_000), (0,)),
)
SUPPLIER_CURRENCY = {role: currency for role, _, currency, _ in SUPPLIERS}
RATE_GUESS = {"RUB": 1.0, "EUR": 100.0, "CNY": 13.0}  # for list prices only; documents use daily rates

FIRST_NAMES = ("Алексей", "Мария", "Дмитрий", "Ольга", "Сергей", "Анна", "Игорь", "Елена", "Павел", "Наталья",
               "Андрей", "Татьяна", "Михаил", "Ирина", "Николай", "Светлана")
LAST_NAMES = ("Иванов", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов", "Новиков", "Морозов",
              "Петров", "Волков", "Соловьев", "Васильев", "Зайцев", "Павлов", "Семенов")
COMPANY_WORDS = ("Строй", "Агро", "Пром", "Тех", "Эко", "Бетон", "Гидро", "Север", "Урал", "Сиб", "Волга", "Нева")
COMPANY_TAILS = ("Инвест", "Монтаж", "Ресурс", "Проект", "Сервис", "Маш", "Комплект", "Групп", "Трейд", "Завод")


def person_name(rng: random.Random) -> str:
    last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES)
    return f"{last}{'а' if first[-1] == 'а' else ''} {first}"


def company_name(rng: random.Random) -> str:
    return f"ООО «{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TAILS)}-{rng.randrange(1, 99)}»"


def phone(rng: random.Random) -> str:
    return f"+79{rng.randrange(10**8, 10**9):09d}"


def inn(rng: random.Random, person: bool) -> str:
    return str(rng.randrange(10**11, 10**12)) if person else str(rng.randrange(10**9, 10**10))


def build_company(sim: Sim, scale_clients: int, managers: int, stock_items: int, order_items: int,
                  opening: date) -> Company:
    rng = sim.stream("catalogs")
    registered = day_start(opening)
    org = sim.catalog("Catalog_Организации", "000000001", "ООО «ТоргИмпорт»",
                      {"ИНН": "7701234567", "КПП": "770101001"})["Ref_Key"]
    currencies = {}
    for letter, numeric, full in CURRENCIES:
        currencies[letter] = sim.catalog("Catalog_Валюты", numeric, letter, {"НаименованиеПолное": full})["Ref_Key"]
    divisions = {}
    for i, (key, name) in enumerate(DIVISIONS.items(), 1):
        divisions[key] = sim.catalog("Catalog_Подразделения", f"{i:09d}", name, {"Parent_Key": EMPTY_REF})["Ref_Key"]
    warehouses = {
        "main": sim.catalog("Catalog_Склады", "000000001", "Основной склад",
                            {"Подразделение_Key": divisions["logistics"]})["Ref_Key"],
        "transit": sim.catalog("Catalog_Склады", "000000002", "Склад оборудования под заказ",
                               {"Подразделение_Key": divisions["logistics"]})["Ref_Key"],
    }
    staff_roles = (("admin", "Администратор", "admin"), ("accountant", "Бухгалтер", "admin"),
                   ("logistician", "Логист", "logistics"), ("storekeeper", "Начальник склада", "logistics"))
    staff, manager_list, code = {}, [], 0
    for role, title, division in staff_roles:
        code += 1
        staff[role] = sim.catalog("Catalog_Пользователи", f"{code:09d}", f"{person_name(rng)} ({title})", {
            "Подразделение_Key": divisions[division], "ВнутреннийНомер": f"{100 + code}", "Телефон": phone(rng),
            "Недействителен": False})["Ref_Key"]
    for m in range(managers):
        code += 1
        division = "equipment" if m % 3 == 0 else "materials"
        name, extension, mobile = person_name(rng), f"{100 + code}", phone(rng)
        ref = sim.catalog("Catalog_Пользователи", f"{code:09d}", name, {
            "Подразделение_Key": divisions[division], "ВнутреннийНомер": extension, "Телефон": mobile,
            "Недействителен": False})["Ref_Key"]
        manager_list.append(Manager(ref, name, extension, mobile, division))

    cash_articles = {}
    for i, (key, name, direction, section) in enumerate(CASH_ARTICLES, 1):
        cash_articles[key] = sim.catalog("Catalog_СтатьиДвиженияДенежныхСредств", f"{i:09d}", name, {
            "ВидДвижения": direction, "РазделБДДС": section})["Ref_Key"]
    expense_articles = {}
    for i, (key, name, distribution, indirect) in enumerate(EXPENSE_ARTICLES, 1):
        expense_articles[key] = sim.catalog("ChartOfCharacteristicTypes_СтатьиРасходов", f"{i:09d}", name, {
            "ВариантРаспределенияРасходов": distribution, "Косвенный": indirect})["Ref_Key"]

    suppliers = {}
    for role, name, currency, kind in SUPPLIERS:
        suppliers[role] = register_partner(sim, rng, name, registered, org, currencies, client=False,
                                           currency=currency, terms=0 if kind == "goods" else 10,
                                           by_order=role.startswith("eur"))

    items = build_items(sim, rng, stock_items, order_items)
    company = Company(org, currencies, divisions, warehouses, manager_list, staff, items, [], suppliers,
                      cash_articles, expense_articles)
    for _ in range(scale_clients):
        company.clients.append(new_client(sim, rng, company, datetime.combine(opening, datetime.min.time())))
    return company


def register_partner(sim: Sim, rng: random.Random, name: str, registered: str, org: str, currencies: dict,
                     *, client: bool, currency: str = "RUB", terms: int = 0, by_order: bool = False,
                     person: bool = False, manager: str = EMPTY_REF, tel: str = "") -> Partner:
    code = sim.ids.code("Catalog_Партнеры")  # the partner's counterparty and contract share its code
    tel, email = tel or phone(rng), f"info{rng.randrange(10**5)}@{'mail.ru' if person else 'example.ru'}"
    partner = sim.catalog("Catalog_Партнеры", code, name, {
        "Клиент": client, "Поставщик": not client, "ОсновнойМенеджер_Key": manager, "Телефон": tel,
        "ЭлектроннаяПочта": email, "ДатаРегистрации": registered})["Ref_Key"]
    counterparty = sim.catalog("Catalog_Контрагенты", code, name, {
        "Партнер_Key": partner, "ИНН": inn(rng, person), "КПП": "" if person else f"77{rng.randrange(10**7):07d}",
        "ЮрФизЛицо": "ФизЛицо" if person else "ЮрЛицо"})["Ref_Key"]
    contract = sim.catalog("Catalog_ДоговорыКонтрагентов", code, f"Договор с {name}", {
        "Контрагент_Key": counterparty, "Партнер_Key": partner, "Организация_Key": org,
        "ТипДоговора": "СПокупателем" if client else "СПоставщиком", "Номер": f"Д-{code[-6:]}", "Дата": registered,
        "ВалютаВзаиморасчетов_Key": currencies[currency], "СрокОплаты": str(terms),
        "ДетализацияРасчетов": "ПоЗаказам" if by_order else "ПоДоговорам"})["Ref_Key"]
    return Partner(partner, counterparty, contract, name, currency, terms, by_order, tel, email, manager, person)


def new_client(sim: Sim, rng: random.Random, company: Company, when: datetime, tel: str = "",
               manager: Manager | None = None) -> Partner:
    """A client: in the opening pool, or registered when its first lead qualifies (`tel`: the number it
    called from, `manager`: who took the lead)."""
    person = rng.random() < 0.12
    terms = 0 if person else rng.choices(CLIENT_TERMS, CLIENT_TERMS_WEIGHTS)[0]
    manager = manager or rng.choice(company.managers)
    name = person_name(rng) if person else company_name(rng)
    client = register_partner(sim, rng, name, day_start(when.date()), company.org, company.currencies, client=True,
                              terms=terms, by_order=not person and rng.random() < 0.4, person=person,
                              manager=manager.ref, tel=tel)
    return client


def build_items(sim: Sim, rng: random.Random, stock_items: int, order_items: int) -> list[Item]:
    items: list[Item] = []
    code = 0
    for group, to_order, supplier_roles, weights, prices, duties in ITEM_GROUPS:
        code += 1
        folder = sim.catalog("Catalog_Номенклатура", f"{code:09d}", group, {
            "IsFolder": True, "Parent_Key": EMPTY_REF, "Артикул": "", "ЕдиницаИзмерения": "", "ВесНетто": 0.0,
            "ВесБрутто": 0.0, "Объем": 0.0, "КодТНВЭД": "", "ПодЗаказ": to_order, "ИспользоватьСерии": True})
        groups = sum(1 for g in ITEM_GROUPS if g[1] == to_order)
        for n in range((order_items if to_order else stock_items) // groups):
            code += 1
            net = round(rng.uniform(*weights), 1 if weights[1] > 10 else 2)
            gross = round(net * rng.uniform(1.05, 1.25), 2)
            volume = round(gross / rng.uniform(150, 900), 3)
            price = rng.randrange(prices[0], prices[1]) // 10 * 10 * 100
            supplier = rng.choice(supplier_roles)
            currency = SUPPLIER_CURRENCY[supplier]
            cost = int(price * rng.uniform(0.45, 0.7) / RATE_GUESS[currency]) // 100 * 100
            hs = f"84{rng.randrange(10**8):08d}" if to_order else f"73{rng.randrange(10**8):08d}"
            name = f"{group.split()[0]} {rng.choice('ABCDEFKMPRSTX')}{rng.randrange(100, 999)}-{n + 1}"
            ref = sim.catalog("Catalog_Номенклатура", f"{code:09d}", name, {
                "IsFolder": False, "Parent_Key": folder["Ref_Key"], "Артикул": f"A{code:06d}",
                "ЕдиницаИзмерения": "шт", "ВесНетто": net, "ВесБрутто": gross,
                "Объем": volume, "КодТНВЭД": hs, "ПодЗаказ": to_order,
                "ИспользоватьСерии": True})["Ref_Key"]
            items.append(Item(ref, f"A{code:06d}", name, group, net, gross, volume, hs, to_order, rng.choice(duties),
                              price, cost, supplier))
    return items
