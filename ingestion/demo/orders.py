"""The life of a sale: lead → deal → customer orders → supply → shipments → payments → returns.

Each deal and each of its orders is a process (see scheduler.py) that reads top to bottom like
the sales process of seed 003. Several orders of one deal run side by side, so the deal's state
moves back and forth as each order advances (seed 001).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from ingestion.demo import crm
from ingestion.demo import trade_docs as td
from ingestion.demo.company import Item, Partner, phone
from ingestion.demo.money import BANK_IN, BANK_OUT, CASH_IN, CASH_OUT, PayLine, pay
from ingestion.demo.values import EMPTY_REF, div_round, vat_inside, vat_rate
from ingestion.demo.world import World

ORDER_COUNTS = (1, 2, 3, 4)
ORDER_COUNT_WEIGHTS = (70, 18, 8, 4)


@dataclass
class Order:
    ref: str
    deal: crm.Deal
    lines: list[td.Line]
    total: int
    paid: int = 0
    shipped: int = 0
    returned: int = 0
    shipments: list[tuple[dict, list[td.Line], list]] = field(default_factory=list)  # doc, lines, lots per line
    last_shipped: date | None = None

    @property
    def owed(self) -> int:
        return self.shipped - self.returned - self.paid


def lead_process(w: World):
    sim, rng = w.sim, w.sim.stream("deals")
    when = sim.at()
    channel = rng.choices([c for c, _ in crm.LEAD_CHANNELS], [n for _, n in crm.LEAD_CHANNELS])[0]
    source, campaign, line = crm.lead_source(rng, channel)
    existing = rng.random() < 0.3 and w.company.clients
    client = rng.choice(w.company.clients) if existing else None
    manager = w.managers[client.manager] if client else rng.choice(w.company.managers)
    contact = client.phone if client else phone(rng)
    crm.lead_contact(w, when, channel, line, contact, manager)
    if rng.random() < (0.04 if client else 0.27):
        crm.write_lead(w, when, channel, source, campaign, line, contact, "", manager, partner=EMPTY_REF,
                       status="Отклонен", reason=rng.choice(w.crm.lead_reasons), deal=EMPTY_REF)
        return
    yield sim.today + timedelta(days=rng.choice((0, 0, 1)))
    if client is None:
        client = crm.register_client(w, sim.at(), contact, manager)
    deal_ref = sim.ids.guid()
    lead = crm.write_lead(w, when, channel, source, campaign, line, client.phone, client.name, manager,
                          partner=client.partner, status="Квалифицирован", reason=EMPTY_REF, deal=deal_ref)
    yield from deal_process(w, client, manager, lead["Ref_Key"], deal_ref, channel)


def deal_process(w: World, client: Partner, manager, lead: str, deal_ref: str, channel: str):
    sim, rng = w.sim, w.sim.stream("deals")
    division = "materials" if client.person or rng.random() < 0.7 else "equipment"
    low, high = (100_000, 5_000_000) if division == "equipment" else (20_000, 600_000)
    expected = rng.randrange(low, high) * 100
    deal = crm.open_deal(w, sim.at(), client, manager, lead, division, expected, deal_ref)
    kind = "ЭлектронноеПисьмо" if channel in ("ЭлектроннаяПочта", "ФормаНаСайте", "Маркетплейс") else "ТелефонныйЗвонок"
    crm.interaction(w, sim.at(), kind, True, deal, client, manager, client.phone, "Первичное обращение")
    for state in (crm.PREPARING, crm.PROPOSAL, crm.INVOICE, crm.INVOICE_SENT):
        yield sim.today + timedelta(days=rng.randrange(0, 4))
        if rng.random() < 0.085:
            crm.set_state(w, deal, crm.LOST, rng.choice(w.crm.lost_reasons))
            return
        crm.set_state(w, deal, state)
        if rng.random() < 0.4:
            crm.call_client(w, deal, crm.STATES[state])
    count = 1 if client.person else rng.choices(ORDER_COUNTS, ORDER_COUNT_WEIGHTS)[0]
    deal.open_orders = count
    deal.joint_payment = count > 1 and client.terms > 0
    offset = 0
    for k in range(count):
        sim.sched.spawn(sim.today + timedelta(days=offset), order_process(w, deal, k))
        offset += rng.randrange(5, 30)
    yield deal.done
    if deal.joint_payment:
        yield from joint_payment(w, deal)
    crm.set_state(w, deal, crm.WON)


def pick_lines(w: World, deal: crm.Deal, vat: int) -> list[td.Line]:
    rng = w.sim.stream("deals")
    if deal.division == "equipment":
        supplier = rng.choice(("eur_wam", "eur_bellini"))
        pool = [i for i in w.equipment if i.supplier == supplier]
        items = rng.sample(pool, min(len(pool), rng.choice((1, 1, 1, 2, 2, 3))))
        quantities = [rng.choice((1, 1, 1, 2, 3)) for _ in items]
    else:
        n = rng.randrange(1, w.scale.max_lines + 1)
        chosen: dict[str, Item] = {}
        for item in rng.choices(w.stock_items, cum_weights=w.stock_weights, k=n):
            chosen[item.ref] = item
        items = list(chosen.values())
        quantities = [1 + int(rng.random() * (2 * typical_quantity(i) - 1)) for i in items]  # 1 … 2×typical−1
    lines = []
    for item, quantity in zip(items, quantities, strict=True):
        discount = rng.choice((0, 0, 0, 3, 5, 7, 10))
        price = div_round(item.price_net * (100 + vat) * (100 - discount), 10_000)
        lines.append(td.Line(item, quantity, price))
    return lines


def typical_quantity(item: Item) -> int:
    """How many units a client usually takes: many cheap fasteners, a few pipes."""
    return max(1, min(200, 200_000_00 // item.price_net))


def order_process(w: World, deal: crm.Deal, k: int):
    sim, rng = w.sim, w.sim.stream("orders")
    client = deal.client
    if k:
        crm.set_state(w, deal, crm.INVOICE)  # the next truck of the deal: back to invoicing
    vat = vat_rate(sim.today)
    lines = pick_lines(w, deal, vat)
    warehouse = "transit" if deal.division == "equipment" else "main"
    lead_days = 60 if deal.division == "equipment" else 7
    if rng.random() < 0.01:  # a draft entered by mistake and left unposted
        td.customer_order(w, sim.at(), client, lines, vat, deal=deal.ref, division=deal.division,
                          manager=deal.manager.ref, warehouse=warehouse, posted=False, status="НеСогласован",
                          ship_by=sim.at(on=sim.today + timedelta(days=lead_days)))
    doc = td.customer_order(w, sim.at(), client, lines, vat, deal=deal.ref, division=deal.division,
                            manager=deal.manager.ref, warehouse=warehouse,
                            ship_by=sim.at(on=sim.today + timedelta(days=lead_days)))
    order = Order(doc["Ref_Key"], deal, lines, sum(x.amount for x in lines))
    deal.orders.append(order)
    yield sim.today + timedelta(days=rng.randrange(1, 4))
    crm.set_state(w, deal, crm.INVOICE_SENT)

    # prepayment: private persons pay at the cash desk, prepayment contracts in full, equipment 30 %
    if client.person:
        pay_client(w, order, order.total, "Оплата заказа", cash=True)
    elif client.terms == 0 or deal.division == "equipment":
        share = 100 if client.terms == 0 and deal.division == "materials" else rng.choice((30, 50))
        yield sim.today + timedelta(days=rng.randrange(1, 7))
        pay_client(w, order, div_round(order.total * share, 100), "Предоплата по счету")
    crm.set_state(w, deal, crm.TO_PLACE)

    if deal.division == "equipment":
        signal = w.supply.order_for_customer(order.ref, lines, deal.division)
        crm.set_state(w, deal, crm.PLACED)
        yield signal
        for line, bought in zip(lines, signal.value, strict=True):
            line.series = bought.series
        crm.set_state(w, deal, crm.IN_STOCK)
        crm.call_client(w, deal, "Товар на складе")
        if client.terms == 0 and order.paid < order.total:
            yield sim.today + timedelta(days=rng.randrange(1, 6))
            pay_client(w, order, order.total - order.paid, "Доплата перед отгрузкой")
        crm.set_state(w, deal, crm.READY)
        yield sim.today + timedelta(days=rng.randrange(0, 4))
        if len(lines) > 1 and rng.random() < 0.35:  # partial shipment: part now, the rest a few days later
            ship(w, order, lines[: len(lines) // 2])
            yield sim.today + timedelta(days=rng.randrange(3, 11))
            ship(w, order, lines[len(lines) // 2:])
        else:
            ship(w, order, lines)
    else:
        crm.set_state(w, deal, crm.READY)
        yield sim.today + timedelta(days=rng.randrange(0, 3))
        remaining = [x.quantity for x in lines]
        while any(remaining):
            yield from ship_from_stock(w, order, remaining)
            if any(remaining):
                yield sim.today + timedelta(days=rng.randrange(2, 6))

    direct_costs(w, order)
    if rng.random() < 0.04:
        yield from customer_return(w, order)
    if not deal.joint_payment and order.owed > 0:
        crm.set_state(w, deal, crm.DEFERRED)
        yield from deferred_payment(w, order)
    deal.open_orders -= 1
    if deal.open_orders == 0:
        sim.sched.fire(deal.done)


def ship_from_stock(w: World, order: Order, remaining: list[int]):
    """Ship what the warehouse holds now; some shipments name the series, others leave it to FIFO."""
    sim, rng = w.sim, w.sim.stream("orders")
    yield sim.today
    shipped, lots = [], []
    named = rng.random() < 0.4
    for i, line in enumerate(order.lines):
        if not remaining[i]:
            continue
        taken = w.stock.take(line.item.ref, remaining[i])
        if not taken:
            continue
        quantity = sum(q for _, q in taken)
        remaining[i] -= quantity
        if named:
            for lot, q in taken:
                shipped.append(td.Line(line.item, q, line.price, lot.series))
                lots.append([(lot, q)])
        else:
            shipped.append(td.Line(line.item, quantity, line.price))
            lots.append(taken)
    if shipped:
        ship(w, order, shipped, lots)


def ship(w: World, order: Order, lines: list[td.Line], lots: list | None = None) -> None:
    """A shipment; `lots` per line are the stock lots it consumed (none for made-to-order series)."""
    sim, deal = w.sim, order.deal
    lots = lots or [[] for _ in lines]
    vat = vat_rate(sim.today)
    warehouse = "transit" if deal.division == "equipment" else "main"
    doc = td.shipment(w, sim.at(12, 18), deal.client, lines, vat, order=order.ref, division=deal.division,
                      manager=deal.manager.ref, warehouse=warehouse)
    amount = round(doc["СуммаДокумента"] * 100)
    output_vat = sum(round(row["СуммаНДС"] * 100) for row in doc["Товары"])
    order.shipped += amount
    order.shipments.append((doc, lines, lots))
    order.last_shipped = sim.today
    w.actuals.add_pnl("revenue", sim.today, amount - output_vat)
    w.actuals.add_pnl("cogs", sim.today, sum(lot.unit_cost * q for taken in lots for lot, q in taken)
                      or sum(w.rates.to_rub(x.item.cost, "EUR") * x.quantity for x in lines if x.item.to_order))
    w.actuals.add_vat(sim.today, output_vat)
    w.recent_shipments.offer(doc)


def direct_costs(w: World, order: Order) -> None:
    """Costs of this order alone: delivery to the client, certificates, a specialist's visit, translation."""
    sim, rng, sup = w.sim, w.sim.stream("orders"), w.company.suppliers
    chance = 0.45 if order.deal.division == "equipment" else 0.12
    if rng.random() >= chance:
        return
    vat = vat_rate(sim.today)
    options = (("delivery_client", "delivery", 8_000, 60_000), ("client_certificates", "certification", 5_000, 30_000),
               ("specialist_visit", "service", 15_000, 90_000), ("translation", "service", 4_000, 25_000),
               ("warranty", "service", 10_000, 50_000))
    for article, vendor, low, high in rng.sample(options, rng.choice((1, 1, 2))):
        amount = rng.randrange(low, high) * 100
        td.services(w, sim.at(), sup[vendor], [td.CostLine(article, amount, vat, order.ref, td.ORDER,
                                                            order.deal.division)], "Расходы по заказу клиента")
        w.actuals.add_pnl(article, sim.today, amount - vat_inside(amount, vat))
        w.actuals.add_vat(sim.today, -vat_inside(amount, vat))
        pay(w, BANK_OUT, sup[vendor], [PayLine("services", amount)], "ОплатаПоставщику", "Оплата услуг")


def customer_return(w: World, order: Order):
    """Part of one shipment line comes back to its series; money goes back if the client had paid it."""
    sim, rng = w.sim, w.sim.stream("orders")
    yield sim.today + timedelta(days=rng.randrange(5, 26))
    doc, lines, lots = rng.choice(order.shipments)
    i = rng.randrange(len(lines))
    line, taken = lines[i], lots[i]
    quantity = max(1, line.quantity // 3)
    series = line.series
    if taken:
        lot, q = max(taken, key=lambda t: t[1])
        quantity = min(quantity, q)
        series = lot.series
        w.stock.put_back(lot, quantity)
    back = td.Line(line.item, quantity, line.price, series)
    vat = vat_rate(sim.today)
    deal = order.deal
    td.customer_return(w, sim.at(12, 18), deal.client, [back], vat, shipment_ref=doc["Ref_Key"], order=order.ref,
                       division=deal.division, manager=deal.manager.ref,
                       warehouse="transit" if deal.division == "equipment" else "main")
    order.returned += back.amount
    w.actuals.add_pnl("returns", sim.today, back.amount - vat_inside(back.amount, vat))
    w.actuals.add_vat(sim.today, -vat_inside(back.amount, vat))
    if order.owed < 0:
        yield sim.today + timedelta(days=rng.randrange(3, 11))
        refund(w, order, -order.owed)


def refund(w: World, order: Order, amount: int) -> None:
    client = order.deal.client
    if client.person:
        entity, operation = CASH_OUT, "ВыдачаДенежныхСредствКлиенту"
    else:
        entity, operation = BANK_OUT, "ВозвратОплатыКлиенту"
    pay(w, entity, client, [PayLine("refund_clients", amount, order.ref, td.ORDER)], operation, "Возврат оплаты")
    order.paid -= amount


def pay_client(w: World, order: Order, amount: int, purpose: str, *, cash: bool = False, named: bool = True) -> None:
    client = order.deal.client
    rng = w.sim.stream("payments")
    line = PayLine("from_clients", amount, order.ref if named else EMPTY_REF, td.ORDER if named else "")
    if not cash and rng.random() < 0.05:  # entered twice by mistake; the copy is marked for deletion
        pay(w, BANK_IN, client, [line], "ПоступлениеОплатыОтКлиента", purpose, deleted=True)
    pay(w, CASH_IN if cash else BANK_IN, client, [line], "ПоступлениеОплатыОтКлиента", purpose)
    order.paid += amount


def payment_day(w: World, due):
    """When a client actually pays: mostly on time, some late, a few very late."""
    rng = w.sim.stream("payments")
    r = rng.random()
    if r < 0.55:
        day = due - timedelta(days=rng.randrange(0, 6))
    elif r < 0.87:
        day = due + timedelta(days=rng.randrange(1, 41))
    else:
        day = due + timedelta(days=rng.randrange(41, 151))
    return max(day, w.sim.today)


def deferred_payment(w: World, order: Order):
    sim, rng = w.sim, w.sim.stream("payments")
    client = order.deal.client
    yield payment_day(w, order.last_shipped + timedelta(days=client.terms))
    owed = order.owed
    if owed <= 0:
        return
    named = client.by_order or rng.random() < 0.5  # settle-by-order contracts always name the order
    if rng.random() < 0.15 and owed > 10_000_00:  # pays in two parts
        first = div_round(owed * 6, 10)
        pay_client(w, order, first, "Частичная оплата", named=named)
        yield sim.today + timedelta(days=rng.randrange(7, 31))
        owed -= first
    if rng.random() < 0.04:  # overpays: rounds up; half the time the excess is refunded later
        extra = 10_000_00 - owed % 10_000_00
        pay_client(w, order, owed + extra, "Оплата по счету", named=named)
        if rng.random() < 0.5:
            yield sim.today + timedelta(days=rng.randrange(10, 31))
            refund(w, order, extra)
        return
    pay_client(w, order, owed, "Оплата по счету", named=named)


def joint_payment(w: World, deal: crm.Deal):
    """One payment for all orders of a deal, a line per order."""
    crm.set_state(w, deal, crm.DEFERRED)
    last = max(o.last_shipped for o in deal.orders if o.last_shipped)
    yield payment_day(w, last + timedelta(days=deal.client.terms))
    owing = [o for o in deal.orders if o.owed > 0]
    if not owing:
        return
    lines = [PayLine("from_clients", o.owed, o.ref, td.ORDER) for o in owing]
    pay(w, BANK_IN, deal.client, lines, "ПоступлениеОплатыОтКлиента", "Оплата по счетам")
    for o in owing:
        o.paid += o.owed
