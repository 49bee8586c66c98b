"""Runs the company: opening balances, the standing processes, then day after day until a given day.

`generate` runs it from the opening day; `advance` runs it again from the opening day with writes
suppressed up to the old "today" (the run is a pure function of scale and seed), then keeps writing.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from pathlib import Path

from ingestion.demo import crm
from ingestion.demo import trade_docs as td
from ingestion.demo.actuals import month_of
from ingestion.demo.ad_costs import AdCosts
from ingestion.demo.calls import CallLog
from ingestion.demo.company import RATE_GUESS, SUPPLIER_CURRENCY, build_company
from ingestion.demo.money import BANK_IN, BANK_OUT, PayLine, overheads, pay
from ingestion.demo.orders import payment_day, typical_quantity
from ingestion.demo.rates import Rates
from ingestion.demo.scales import Scale
from ingestion.demo.sim import Sim
from ingestion.demo.stock import Lot
from ingestion.demo.supply import IMPORT_SUPPLIERS, Supply
from ingestion.demo.values import day_start, rub
from ingestion.demo.world import Reservoir, World

OPENING_STOCK_WEEKS = 8
REPOSTS_PER_MONTH = 5


def build_world(out: Path, scale: Scale, seed: int, run: int = 0, replay_until: date | None = None) -> World:
    sim = Sim(out, seed, run, replay_until)
    sim.sched.today = scale.start
    company = build_company(sim, scale.clients, scale.managers, scale.stock_items, scale.order_items, scale.start)
    w = World(sim, scale, company, Rates(sim, company.currencies), crm.build_crm_catalogs(sim), CallLog(sim, out),
              AdCosts(sim, out, scale.leads_per_workday / 10.5), Reservoir(sim.stream("reposts"), REPOSTS_PER_MONTH))
    w.supply = Supply(w)
    w.managers = {m.ref: m for m in company.managers}
    w.equipment = [i for i in company.items if i.to_order]
    w.stock_items = [i for i in company.items if not i.to_order]
    popularity = sim.stream("popularity")
    ranks = list(range(len(w.stock_items)))
    popularity.shuffle(ranks)
    weights = [1 / (r + 3) for r in ranks]
    total, running = sum(weights), 0.0
    # expected order lines a week that pick a stock item: leads × target × won × materials × orders × lines
    lines_a_week = scale.leads_per_workday * 5 * 0.75 * 0.7 * 0.72 * 1.5 * (scale.max_lines + 1) / 2
    for item, weight in zip(w.stock_items, weights, strict=True):
        running += weight
        w.stock_weights.append(running)
        item.weekly = lines_a_week * weight / total * typical_quantity(item)
    return w


def open_books(w: World) -> None:
    """Opening balances (Document_ВводОстатков) on the first day, and the collections they start."""
    sim, co, scale = w.sim, w.company, w.scale
    rng = sim.stream("opening")
    when = datetime.combine(scale.start, time(9, 0))
    w.rates.publish(scale.start)
    rows = []
    for item in w.stock_items:
        quantity = math.ceil(item.weekly * OPENING_STOCK_WEEKS) + 1
        unit = int(item.cost * RATE_GUESS[SUPPLIER_CURRENCY[item.supplier]])
        series = td.series(w, item, f"Н-{item.code}", when - timedelta(days=30))
        w.stock.receive(Lot(series, item.ref, quantity, scale.start, unit))
        rows.append({"Номенклатура_Key": item.ref, "Серия_Key": series, "Склад_Key": co.warehouses["main"],
                     "Количество": float(quantity), "Сумма": rub(unit * quantity)})
    td.opening(w, when, "ОстаткиТоваров", "Остатки товаров на начало учета", goods_rows=rows)
    bank = int(5_000_000_00 * max(1.0, scale.leads_per_workday / 10.5))
    td.opening(w, when, "ОстаткиДенежныхСредств", "Остатки денежных средств", money_rows=[
        {"ВидДенежныхСредств": "Безналичные", "Сумма": rub(bank)},
        {"ВидДенежныхСредств": "Наличные", "Сумма": rub(50_000_00)}])
    w.actuals.bank, w.actuals.cash_desk = bank, 50_000_00
    debts = []
    for client in co.clients:
        if client.terms and rng.random() < 0.3:
            due = scale.start + timedelta(days=rng.randrange(0, client.terms + 1))
            debts.append((client, rng.randrange(50_000, 800_000) * 100, due))
    td.opening(w, when, "ОстаткиРасчетовСКлиентами", "Долги клиентов", partner_rows=[
        {"Контрагент_Key": c.counterparty, "Договор_Key": c.contract, "Сумма": rub(a), "СрокОплаты": day_start(d)}
        for c, a, d in debts])
    payables = [(co.suppliers[r], rng.randrange(200_000, 1_000_000) * 100) for r in ("rub_metall", "rub_komplekt")]
    td.opening(w, when, "ОстаткиРасчетовСПоставщиками", "Долги поставщикам", partner_rows=[
        {"Контрагент_Key": s.counterparty, "Договор_Key": s.contract, "Сумма": rub(a),
         "СрокОплаты": day_start(scale.start + timedelta(days=14))} for s, a in payables])
    for client, amount, due in debts:
        sim.sched.spawn(scale.start, collect_opening_debt(w, client, amount, due))
    for supplier, amount in payables:
        sim.sched.spawn(scale.start + timedelta(days=rng.randrange(3, 15)), settle_opening_debt(w, supplier, amount))


def collect_opening_debt(w: World, client, amount: int, due: date):
    yield payment_day(w, due)
    pay(w, BANK_IN, client, [PayLine("from_clients", amount)], "ПоступлениеОплатыОтКлиента", "Оплата долга")


def settle_opening_debt(w: World, supplier, amount: int):
    yield w.sim.today
    pay(w, BANK_OUT, supplier, [PayLine("to_suppliers", amount)], "ОплатаПоставщику", "Погашение долга")


def start_processes(w: World) -> None:
    sched, start = w.sim.sched, w.scale.start
    sched.spawn(start, overheads(w))
    sched.spawn(start, w.supply.replenish())
    for weekday, role in enumerate(IMPORT_SUPPLIERS):
        sched.spawn(start, w.supply.logistics(role, weekday))


def month_close(w: World) -> None:
    """Early in the month the accountant re-posts some of last month's shipments (back-dated, same content)."""
    for doc in w.recent_shipments.drain():
        w.sim.rewrite(td.SHIPMENT, doc, Комментарий="Перепроведен при закрытии месяца")


def live(w: World, first: date, last: date) -> None:
    sim, day = w.sim, first
    while day <= last:
        sim.sched.today = day
        if day != w.scale.start:
            w.rates.publish(day)
        w.ads.spend_day(day)
        crm.daily_leads(w, day)
        crm.background_calls(w, day)
        sim.sched.run_day(day)
        if day.day == 5:
            month_close(w)
        w.calls.flush()
        tomorrow = day + timedelta(days=1)
        if tomorrow.day == 1 or day == last:
            w.ads.write_month(month_of(day))
        day = tomorrow


def run_company(out: Path, scale: Scale, seed: int, until: date, run: int = 0,
                replay_until: date | None = None) -> World:
    w = build_world(out, scale, seed, run, replay_until)
    open_books(w)
    start_processes(w)
    live(w, scale.start, until)
    return w
