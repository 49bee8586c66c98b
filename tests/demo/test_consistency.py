"""The accounting the marts rely on holds in the generated data."""

import time
from collections import Counter

from ingestion.demo.generate import generate
from tests.demo.conftest import objects

DOCS_WITH_GOODS = ("Document_ЗаказКлиента", "Document_ЗаказПоставщику", "Document_ПриобретениеТоваровУслуг",
                   "Document_РеализацияТоваровУслуг", "Document_ВозвратТоваровОтКлиента", "Document_ТоварВМашине")
PAYMENTS = ("Document_ПоступлениеБезналичныхДенежныхСредств", "Document_СписаниеБезналичныхДенежныхСредств",
            "Document_ПриходныйКассовыйОрдер", "Document_РасходныйКассовыйОрдер")


def test_scale_is_roughly_as_promised(tiny):
    deals = objects(tiny, "crm", "Document_CRM_Интерес")
    assert 70 <= len(deals) <= 140
    assert float((tiny.parent / "tiny_seconds.txt").read_text()) < 5


def test_line_amounts_and_totals(tiny):
    for entity in DOCS_WITH_GOODS:
        for doc in objects(tiny, "trade", entity).values():
            lines = doc["Товары"]
            for line in lines:
                assert round(line["Количество"] * line["Цена"], 2) == line["Сумма"]
            assert round(sum(line["Сумма"] for line in lines), 2) == doc["СуммаДокумента"], entity
    for entity in PAYMENTS:
        for doc in objects(tiny, "trade", entity).values():
            assert round(sum(x["Сумма"] for x in doc["РасшифровкаПлатежа"]), 2) == doc["СуммаДокумента"]
    for entity in ("Document_ПриобретениеУслугПрочихАктивов", "Document_ПрочиеРасходы"):
        for doc in objects(tiny, "trade", entity).values():
            assert round(sum(x["Сумма"] for x in doc["Расходы"]), 2) == doc["СуммаДокумента"]
    for declaration in objects(tiny, "trade", "Document_ТаможеннаяДекларацияИмпорт").values():
        for total, line_field in (("СуммаПошлины", "СуммаПошлины"), ("СуммаНДС", "СуммаНДС")):
            assert round(sum(x[line_field] for x in declaration["Товары"]), 2) == declaration[total]
        for line in declaration["Товары"]:
            duty = line["ТаможеннаяСтоимость"] * line["СтавкаПошлины"] / 100
            assert abs(line["СуммаПошлины"] - duty) <= 0.005 + 1e-9  # rounded to kopecks, half away from zero


def test_no_series_ships_before_its_receipt(tiny):
    received = {}
    for receipt in objects(tiny, "trade", "Document_ПриобретениеТоваровУслуг").values():
        for line in receipt["Товары"]:
            received[line["Серия_Key"]] = receipt["Date"]
    for opening in objects(tiny, "trade", "Document_ВводОстатков").values():
        for line in opening["Товары"]:
            received[line["Серия_Key"]] = opening["Date"]
    named = 0
    for shipment in objects(tiny, "trade", "Document_РеализацияТоваровУслуг").values():
        for line in shipment["Товары"]:
            if line["Серия_Key"] != "00000000-0000-0000-0000-000000000000":
                named += 1
                assert received[line["Серия_Key"]] < shipment["Date"]
    assert named


def test_stock_never_goes_negative_fifo(tiny):
    """Replaying receipts, shipments and returns in date order, no item's stock drops below zero."""
    moves = []
    for opening in objects(tiny, "trade", "Document_ВводОстатков").values():
        moves += [(opening["Date"], x["Номенклатура_Key"], x["Количество"]) for x in opening["Товары"]]
    for entity, sign in (("Document_ПриобретениеТоваровУслуг", 1), ("Document_ВозвратТоваровОтКлиента", 1),
                         ("Document_РеализацияТоваровУслуг", -1)):
        for doc in objects(tiny, "trade", entity).values():
            moves += [(doc["Date"], x["Номенклатура_Key"], sign * x["Количество"]) for x in doc["Товары"]]
    stock = Counter()
    for _, item, quantity in sorted(moves, key=lambda m: (m[0], -m[2])):
        stock[item] += quantity
        assert stock[item] >= 0


def test_payments_reference_existing_orders(tiny):
    orders = {
        "StandardODATA.Document_ЗаказКлиента": objects(tiny, "trade", "Document_ЗаказКлиента"),
        "StandardODATA.Document_ЗаказПоставщику": objects(tiny, "trade", "Document_ЗаказПоставщику"),
    }
    named = 0
    for entity in PAYMENTS:
        for doc in objects(tiny, "trade", entity).values():
            for line in doc["РасшифровкаПлатежа"]:
                if line["Заказ_Type"] == "StandardODATA.Undefined":
                    assert line["Заказ"] == "00000000-0000-0000-0000-000000000000"
                    continue
                named += 1
                assert line["Заказ"] in orders[line["Заказ_Type"]]
    assert named


def test_the_variety_is_there(tiny):
    contracts = objects(tiny, "trade", "Catalog_ДоговорыКонтрагентов").values()
    assert {c["СрокОплаты"] for c in contracts} >= {"0", "14", "30", "45", "60"}
    assert {c["ДетализацияРасчетов"] for c in contracts} == {"ПоЗаказам", "ПоДоговорам"}
    history = objects(tiny, "crm", "Document_CRM_Интерес")
    assert any(d["ПричинаПроигрыша_Key"] != "00000000-0000-0000-0000-000000000000" for d in history.values())
    leads = objects(tiny, "crm", "Document_CRM_Лид").values()
    assert {lead["Статус"] for lead in leads} == {"Квалифицирован", "Отклонен"}
    assert len({lead["КаналПривлечения"] for lead in leads}) == 6
    payments_in = objects(tiny, "trade", "Document_ПоступлениеБезналичныхДенежныхСредств").values()
    assert any(len(p["РасшифровкаПлатежа"]) > 1 for p in payments_in)  # one payment for several orders
    assert any(p["DeletionMark"] for p in payments_in)
    assert objects(tiny, "trade", "Document_ВозвратТоваровОтКлиента")
    assert objects(tiny, "trade", "Document_ТаможеннаяДекларацияИмпорт")


def test_calls_match_leads_and_managers_by_number(tiny):
    rows = []
    for path in sorted((tiny / "mango").glob("*.csv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].split(";") == ["records", "start", "finish", "from_extension", "from_number", "to_extension",
                                       "to_number", "disconnect_reason", "answer", "line_number", "location",
                                       "entry_id"]
        rows += [line.split(";") for line in lines[1:]]
    users = objects(tiny, "trade", "Catalog_Пользователи").values()
    extensions = {u["ВнутреннийНомер"]: u["Телефон"].lstrip("+") for u in users}
    for row in rows:
        for extension, number in ((row[3], row[4]), (row[5], row[6])):
            if extension:
                assert extensions[extension] == number
    inbound = {(row[4], row[9]) for row in rows if row[10] == "ivr"}
    phone_leads = [lead for lead in objects(tiny, "crm", "Document_CRM_Лид").values()
                   if lead["КаналПривлечения"] == "Телефон"]
    assert phone_leads
    for lead in phone_leads:
        assert (lead["Телефон"].lstrip("+"), lead["НомерЛинии"]) in inbound
    entries = Counter(row[11] for row in rows)
    assert max(entries.values()) >= 2  # several legs per call


def test_vat_rises_to_22_percent_in_2026(tiny):
    shipments = objects(tiny, "trade", "Document_РеализацияТоваровУслуг").values()
    rates = {(s["Date"][:4], line["СтавкаНДС"]) for s in shipments for line in s["Товары"]}
    assert ("2025", "НДС20") in rates and ("2026", "НДС22") in rates
    assert ("2025", "НДС22") not in rates and ("2026", "НДС20") not in rates


def test_small_scale_is_about_two_thousand_deals_in_under_30_seconds(tmp_path):
    started = time.perf_counter()
    generate(tmp_path, "small", 42, False)
    assert time.perf_counter() - started < 30
    deals = objects(tmp_path, "crm", "Document_CRM_Интерес")
    assert 1600 <= len(deals) <= 2600
    months = {deal["Date"][:7] for deal in deals.values()}
    assert len(months) == 12


def test_codes_and_numbers_are_unique(tiny):
    for path in sorted((tiny / "onec").glob("*/*.jsonl")):
        entity = path.stem
        if entity.startswith(("Catalog_", "ChartOfCharacteristicTypes_")):
            codes = [o["Code"] for o in objects(tiny, path.parent.name, entity).values()]
            assert len(codes) == len(set(codes)), entity
        elif entity.startswith("Document_"):
            numbers = [(o["Number"], o["Date"][:4]) for o in objects(tiny, path.parent.name, entity).values()]
            assert len(numbers) == len(set(numbers)), entity
