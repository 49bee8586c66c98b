"""The `scenario` scale: three deals with round numbers, so every figure can be computed by hand.

Period 2025-01-01 … 2025-03-31; EUR = 100.00 RUB all quarter; VAT 20 %. Amounts below are in roubles.

Opening (2025-01-01): bank 5,000,000; stock: Шпунт Л5 100 pcs, series Н-A000002, cost 5,000.00 each (500,000).

Deal A, ООО «Альфа» (made to order, contract 30 days, settled by order):
  01-10 order A1: 1 × Насос P100 at 1,200,000 incl. VAT (VAT 200,000)
  01-13 client advance 30 % = 360,000 (names A1)
  01-14 supplier order to WAM: 1 × 6,000 EUR; 01-16 supplier advance 1,800 EUR
  02-03 truck T00001: the pump, 500 kg gross / 450 kg net; packaging 100 EUR (bill attached to the truck);
        balance 4,200 EUR and packaging 100 EUR paid
  02-11 customs paid 159,100 = duty 30,000 + import VAT 126,000 + fee 3,100
  02-12 declaration: customs value 600,000, duty 5 % = 30,000, VAT 20 % × 630,000 = 126,000, fee 3,100;
        broker 24,000 incl. VAT 4,000 attached to the declaration
  02-13 receipt of series T00001-001; 02-14 shipped (1,200,000);
        delivery to client 12,000 incl. VAT 2,000 (a direct cost of A1)
  03-05 carrier's bill 60,000 incl. VAT 10,000 attached to the truck: arrives after the series is sold
  03-14 client pays the balance 840,000 (names A1); due date 03-16
Deal B, ООО «Бета» (from stock, contract 14 days, settled by contract), two orders, one payment:
  01-15 order B1: 80 × Шпунт Л5 at 12,000 = 960,000 (VAT 160,000); 01-17 shipped without series (FIFO: Н-A000002)
  01-20 local receipt from МеталлТорг: 100 × 6,000 incl. VAT = 600,000 (VAT 100,000), series L0000001; paid 02-03
  02-03 order B2: 60 × 12,000 = 720,000; 02-05 shipped without series (FIFO: 20 Н-A000002 + 40 L0000001)
  02-10 return of 10 pcs of B2 to series L0000001: 120,000 (VAT 20,000)
  02-20 one payment of 1,560,000: 960,000 for B1 and 600,000 for B2
Deal C, ООО «Гамма»: a phone lead, lost at «ТКП подготовлено. Согласовать», reason «Дорого».
A spam lead is rejected as non-target.
Overheads: rent 300,000 accrued each month end and paid on the 3rd; payroll 400,000 accrued each
month end, paid on the 10th of the next; bank fees 3,000 accrued and debited each month end;
ads: Яндекс.Директ «Поиск: насосы» 1,000 a day in January, accrued 31,000 on 01-31, paid 02-14.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from ingestion.demo import crm
from ingestion.demo import trade_docs as td
from ingestion.demo.ad_costs import AdCosts
from ingestion.demo.budget import write_budgets
from ingestion.demo.calls import CallLog
from ingestion.demo.company import Item, build_company, register_partner
from ingestion.demo.money import BANK_IN, BANK_OUT, PayLine, accrue, pay
from ingestion.demo.rates import Rates
from ingestion.demo.scales import Scale
from ingestion.demo.sim import Sim
from ingestion.demo.stock import Lot
from ingestion.demo.supplier_invoices import write_invoice
from ingestion.demo.values import EMPTY_REF, day_start, rub
from ingestion.demo.world import Reservoir, World

START, TODAY = date(2025, 1, 1), date(2025, 3, 31)
RUB = 100  # kopecks in a rouble
RATES = {"EUR": 100_0000, "USD": 90_0000, "CNY": 12_5000}


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"2025-{day}T{hour:02d}:00:00")


def write_scenario(out: Path) -> tuple[date, date]:
    sim = Sim(out, seed=0)
    sim.sched.today = START
    company = build_company(sim, 0, 1, 0, 0, START)
    scale = Scale("scenario", START, TODAY, 0, 0, 1, 1, 1, 2, 0)
    w = World(sim, scale, company, Rates(sim, company.currencies), crm.build_crm_catalogs(sim), CallLog(sim, out),
              AdCosts(sim, out, 0), Reservoir(sim.stream("reposts"), 0))
    w.managers = {m.ref: m for m in company.managers}
    manager = company.managers[0]
    w.rates.current = dict(RATES)
    day = START
    while day <= TODAY:
        if day.weekday() < 5:
            for letter in sorted(RATES):
                sim.record("InformationRegister_КурсыВалют", {
                    "Period": day_start(day), "Валюта_Key": company.currencies[letter],
                    "Курс": RATES[letter] / 10_000, "Кратность": "1"})
        day += timedelta(days=1)

    pump = item(sim, "Насос P100", "A000001", to_order=True, weight=(450.0, 500.0), duty=5, price=1_000_000, cost=6_000,
                supplier="eur_wam")
    pile = item(sim, "Шпунт Л5", "A000002", to_order=False, weight=(50.0, 52.0), duty=0, price=10_000, cost=5_000,
                supplier="rub_metall")
    alpha = register_partner(sim, sim.stream("catalogs"), "ООО «Альфа»", day_start(START), company.org,
                             company.currencies, client=True, terms=30, by_order=True, manager=manager.ref)
    beta = register_partner(sim, sim.stream("catalogs"), "ООО «Бета»", day_start(START), company.org,
                            company.currencies, client=True, terms=14, by_order=False, manager=manager.ref)
    gamma = register_partner(sim, sim.stream("catalogs"), "ООО «Гамма»", day_start(START), company.org,
                             company.currencies, client=True, terms=0, manager=manager.ref)
    sup = company.suppliers

    # opening balances
    opening_series = td.series(w, pile, "Н-A000002", at("01-01", 9) - timedelta(days=30))
    td.opening(w, at("01-01", 9), "ОстаткиТоваров", "Остатки товаров", goods_rows=[{
        "Номенклатура_Key": pile.ref, "Серия_Key": opening_series, "Склад_Key": company.warehouses["main"],
        "Количество": 100.0, "Сумма": rub(500_000 * RUB)}])
    td.opening(w, at("01-01", 9), "ОстаткиДенежныхСредств", "Остатки денежных средств",
               money_rows=[{"ВидДенежныхСредств": "Безналичные", "Сумма": rub(5_000_000 * RUB)}])
    w.stock.receive(Lot(opening_series, pile.ref, 100, START, 5_000 * RUB))

    # leads and deals
    pumps_ad = ("74951110001", "yandex_direct", "search_pumps")  # tracked line, utm_source, utm_campaign
    deal_a = open_deal(w, "01-09", alpha, manager, "Телефон", *pumps_ad, "equipment")
    deal_b = open_deal(w, "01-14", beta, manager, "ЭлектроннаяПочта", "", "email", "", "materials")
    deal_c = open_deal(w, "02-17", gamma, manager, "Телефон", *pumps_ad, "equipment")
    sim.sched.today = date(2025, 2, 18)
    crm.write_lead(w, at("02-18", 11), "Телефон", "yandex_direct", "search_piles", "74951110001", "+79990000000",
                   "", manager, partner=EMPTY_REF, status="Отклонен", reason=w.crm.lead_reasons[0], deal=EMPTY_REF)
    w.calls.inbound(at("02-18", 11), "79990000000", "74951110001", manager.extension, manager.phone[1:], True)
    w.calls.flush()
    move(w, deal_c, "02-19", crm.PREPARING, crm.PROPOSAL)
    move(w, deal_c, "02-24", crm.LOST, reason=w.crm.lost_reasons[0])

    # deal A: made to order, EUR
    move(w, deal_a, "01-10", crm.PREPARING, crm.PROPOSAL, crm.INVOICE)
    a1_lines = [td.Line(pump, 1, 1_200_000 * RUB)]
    a1 = td.customer_order(w, at("01-10"), alpha, a1_lines, 20, deal=deal_a.ref, division="equipment",
                           manager=manager.ref, warehouse="transit", ship_by=at("02-28"))["Ref_Key"]
    move(w, deal_a, "01-11", crm.INVOICE_SENT)
    pay(w, BANK_IN, alpha, [PayLine("from_clients", 360_000 * RUB, a1, td.ORDER)], "ПоступлениеОплатыОтКлиента",
        "Аванс 30%", at("01-13"))
    move(w, deal_a, "01-13", crm.TO_PLACE)
    bought = [td.Line(pump, 1, 6_000 * 100)]
    po = td.supplier_order(w, at("01-14"), sup["eur_wam"], bought, 0, division="equipment", for_order=a1,
                           ready=at("02-03"), reference="PO-100001")["Ref_Key"]
    bought[0].supplier_order = po
    move(w, deal_a, "01-14", crm.PLACED)
    pay(w, BANK_OUT, sup["eur_wam"], [PayLine("to_suppliers", 1_800 * 100, po, td.SUPPLIER_ORDER)], "ОплатаПоставщику",
        "Аванс 30%", at("01-16"), currency="EUR")
    bought[0].series = td.series(w, pump, "T00001-001", at("02-03", 9))
    truck = td.truck(w, at("02-03", 9), sup["eur_wam"], bought, plate="A100AA77", invoice="INV-WAM-2025-00001",
                     packaging=100 * 100, transport=60_000 * RUB)["Ref_Key"]
    write_invoice(out, "INV-WAM-2025-00001", sup["eur_wam"], date(2025, 2, 3), "A100AA77", bought, 100 * 100)
    pay(w, BANK_OUT, sup["eur_wam"], [PayLine("to_suppliers", 4_200 * 100, po, td.SUPPLIER_ORDER)], "ОплатаПоставщику",
        "Оплата по инвойсу", at("02-03", 11), currency="EUR")
    td.services(w, at("02-03", 12), sup["eur_wam"], [td.CostLine("packaging", 100 * 100, 0, truck, td.TRUCK)],
                "Упаковка")
    pay(w, BANK_OUT, sup["eur_wam"], [PayLine("services", 100 * 100)], "ОплатаПоставщику", "Упаковка", at("02-03", 13),
        currency="EUR")
    pay(w, BANK_OUT, sup["customs"], [PayLine("customs", 159_100 * RUB)], "ПрочийРасход", "Таможенные платежи",
        at("02-11"))
    receipt_ref = sim.ids.guid()
    declaration = td.customs(w, at("02-12"), [td.CustomsLine(bought[0], 600_000 * RUB, 5)], 20,
                             number="10129060/120225/0000001", truck_ref=truck, receipt_ref=receipt_ref,
                             fee=3_100 * RUB)["Ref_Key"]
    td.services(w, at("02-12", 15), sup["broker"], [td.CostLine("broker", 24_000 * RUB, 20, declaration, td.CUSTOMS)],
                "Брокерские услуги")
    td.receipt(w, at("02-13", 9), sup["eur_wam"], bought, 0, operation="ЗакупкаПоИмпорту", division="equipment",
               truck_ref=truck, warehouse="transit", ref=receipt_ref)
    move(w, deal_a, "02-13", crm.IN_STOCK, crm.READY)
    a1_lines[0].series = bought[0].series
    td.shipment(w, at("02-14", 14), alpha, a1_lines, 20, order=a1, division="equipment", manager=manager.ref,
                warehouse="transit")
    td.services(w, at("02-14", 16), sup["delivery"], [td.CostLine("delivery_client", 12_000 * RUB, 20, a1, td.ORDER,
                                                                   "equipment")], "Доставка до клиента")
    move(w, deal_a, "02-14", crm.DEFERRED)
    td.services(w, at("03-05"), sup["carrier"], [td.CostLine("transport_in", 60_000 * RUB, 20, truck, td.TRUCK)],
                "Счет перевозчика")
    pay(w, BANK_IN, alpha, [PayLine("from_clients", 840_000 * RUB, a1, td.ORDER)], "ПоступлениеОплатыОтКлиента",
        "Оплата по счету", at("03-14"))
    move(w, deal_a, "03-14", crm.WON)

    # deal B: from stock, two orders, one payment
    move(w, deal_b, "01-15", crm.PREPARING, crm.PROPOSAL, crm.INVOICE)
    b1_lines = [td.Line(pile, 80, 12_000 * RUB)]
    b1 = td.customer_order(w, at("01-15"), beta, b1_lines, 20, deal=deal_b.ref, division="materials",
                           manager=manager.ref, warehouse="main", ship_by=at("01-17"))["Ref_Key"]
    move(w, deal_b, "01-16", crm.INVOICE_SENT, crm.TO_PLACE, crm.READY)
    td.shipment(w, at("01-17", 14), beta, b1_lines, 20, order=b1, division="materials", manager=manager.ref,
                warehouse="main")
    local = [td.Line(pile, 100, 6_000 * RUB)]
    local_po = td.supplier_order(w, at("01-16"), sup["rub_metall"], local, 20, division="materials",
                                 for_order=EMPTY_REF, ready=at("01-20"), reference="ST-100001")["Ref_Key"]
    local[0].supplier_order = local_po
    local[0].series = td.series(w, pile, "L0000001", at("01-20", 9))
    td.receipt(w, at("01-20", 9), sup["rub_metall"], local, 20, operation="ЗакупкаУПоставщика", division="materials")
    move(w, deal_b, "02-03", crm.INVOICE)  # the second truck of the deal: back to invoicing
    b2_lines = [td.Line(pile, 60, 12_000 * RUB)]
    b2 = td.customer_order(w, at("02-03"), beta, b2_lines, 20, deal=deal_b.ref, division="materials",
                           manager=manager.ref, warehouse="main", ship_by=at("02-05"))["Ref_Key"]
    pay(w, BANK_OUT, sup["rub_metall"], [PayLine("to_suppliers", 600_000 * RUB, local_po, td.SUPPLIER_ORDER)],
        "ОплатаПоставщику", "Оплата по счету", at("02-03", 15))
    move(w, deal_b, "02-04", crm.INVOICE_SENT, crm.TO_PLACE, crm.READY)
    shipment_b2 = td.shipment(w, at("02-05", 14), beta, b2_lines, 20, order=b2, division="materials",
                              manager=manager.ref, warehouse="main")["Ref_Key"]
    move(w, deal_b, "02-05", crm.DEFERRED)
    td.customer_return(w, at("02-10", 14), beta, [td.Line(pile, 10, 12_000 * RUB, local[0].series)], 20,
                       shipment_ref=shipment_b2, order=b2, division="materials", manager=manager.ref, warehouse="main")
    pay(w, BANK_IN, beta, [PayLine("from_clients", 960_000 * RUB, b1, td.ORDER),
                           PayLine("from_clients", 600_000 * RUB, b2, td.ORDER)],
        "ПоступлениеОплатыОтКлиента", "Оплата по счетам", at("02-20"))
    move(w, deal_b, "02-20", crm.WON)

    # overheads and ads
    for month in (1, 2, 3):
        first = date(2025, month, 1)
        end = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        sim.sched.today = first
        pay(w, BANK_OUT, sup["landlord"], [PayLine("rent", 300_000 * RUB)], "ОплатаПоставщику", "Аренда",
            datetime(2025, month, 3, 10))
        if month > 1:
            pay(w, BANK_OUT, sup["staff"], [PayLine("payroll", 400_000 * RUB)], "ВыплатаЗарплаты", "Зарплата",
                datetime(2025, month, 10, 10))
        sim.sched.today = end
        when = datetime.combine(end, datetime.min.time()).replace(hour=18)
        accrue(w, "rent", sup["landlord"], first, {"admin": 300_000 * RUB}, "Аренда", when)
        accrue(w, "payroll", sup["staff"], first, {"equipment": 250_000 * RUB, "materials": 150_000 * RUB},
               "Начисление зарплаты", when)
        accrue(w, "bank_fees", sup["bank"], first, {"admin": 3_000 * RUB}, "Комиссии банка", when)
        pay(w, BANK_OUT, sup["bank"], [PayLine("bank_fees", 3_000 * RUB)], "ПрочийРасход", "Комиссия банка", when)
    january_ads(w, out)
    sim.close()
    write_budgets(out, w.actuals, START, TODAY, 0)
    return START, TODAY


def item(sim: Sim, name: str, code: str, *, to_order: bool, weight: tuple[float, float], duty: int, price: int,
         cost: int, supplier: str) -> Item:
    ref = sim.catalog("Catalog_Номенклатура", code, name, {
        "IsFolder": False, "Parent_Key": EMPTY_REF, "Артикул": code, "ЕдиницаИзмерения": "шт", "ВесНетто": weight[0],
        "ВесБрутто": weight[1], "Объем": 1.0, "КодТНВЭД": "8413000000", "ПодЗаказ": to_order,
        "ИспользоватьСерии": True})["Ref_Key"]
    return Item(ref, code, name, "", weight[0], weight[1], 1.0, "8413000000", to_order, duty, price * RUB, cost * 100,
                supplier)


def open_deal(w: World, day: str, client, manager, channel: str, line: str, source: str, campaign: str,
              division: str) -> crm.Deal:
    """A qualified lead (with its call when by phone) and the deal it opens."""
    w.sim.sched.today = at(day).date()
    deal_ref = w.sim.ids.guid()
    lead = crm.write_lead(w, at(day, 9), channel, source, campaign, line, client.phone, client.name, manager,
                          partner=client.partner, status="Квалифицирован", reason=EMPTY_REF, deal=deal_ref)
    if channel == "Телефон":
        w.calls.inbound(at(day, 9), client.phone[1:], line, manager.extension, manager.phone[1:], True)
        w.calls.flush()
    deal = crm.open_deal(w, at(day, 9), client, manager, lead["Ref_Key"], division, 0, deal_ref)
    kind = "ТелефонныйЗвонок" if channel == "Телефон" else "ЭлектронноеПисьмо"
    crm.interaction(w, at(day, 9), kind, True, deal, client, manager, client.phone, "Первичное обращение")
    return deal


def move(w: World, deal: crm.Deal, day: str, *states: int, reason: str = EMPTY_REF) -> None:
    w.sim.sched.today = at(day).date()
    for state in states:
        crm.set_state(w, deal, state, reason)


def january_ads(w: World, out: Path) -> None:
    rows = []
    for d in range(1, 32):
        rows.append({"dimensions": {"daily": {"value": f"2025-01-{d:02d}", "title": f"{d:02d}.01.2025"},
                                    "marker_level_1": {"value": "yandex_direct", "title": "Яндекс.Директ"},
                                    "marker_level_2": {"value": "search_pumps", "title": "Поиск: насосы и дозаторы"}},
                     "metrics": [{"metric_name": "marketing_cost", "value": 1000.0},
                                 {"metric_name": "visits", "value": 20}]})
    (out / "ad_costs").mkdir(parents=True, exist_ok=True)
    (out / "ad_costs" / "costs_2025-01.json").write_text(
        json.dumps({"status": "success", "data": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    w.sim.sched.today = date(2025, 1, 31)
    accrue(w, "marketing", w.company.suppliers["yandex"], date(2025, 1, 1), {"admin": 31_000 * RUB}, "Реклама",
           datetime(2025, 1, 31, 18))
    w.sim.sched.today = date(2025, 2, 14)
    pay(w, BANK_OUT, w.company.suppliers["yandex"], [PayLine("marketing", 31_000 * RUB)], "ОплатаПоставщику",
        "Реклама за январь", datetime(2025, 2, 14, 10))
