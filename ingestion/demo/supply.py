"""Purchasing: made-to-order imports, stock replenishment, trucks, customs, receipts and landed costs.

Import suppliers load a truck every week with whatever is ready; the truck crosses the border,
is declared, received (series are born on loading), and its costs arrive: packaging with the
invoice, broker at customs, transport at receipt or weeks later (after part of the series is sold),
certification for some loads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from ingestion.demo import trade_docs as td
from ingestion.demo.money import BANK_OUT, PayLine, pay
from ingestion.demo.scheduler import Signal
from ingestion.demo.stock import Lot
from ingestion.demo.supplier_invoices import write_invoice
from ingestion.demo.values import EMPTY_REF, vat_inside, vat_rate
from ingestion.demo.world import World

IMPORT_SUPPLIERS = ("eur_wam", "eur_bellini", "cny_ningbo")
IMPORT_LEAD_WEEKS = 8
LOCAL_LEAD_WEEKS = 2


@dataclass
class Pending:
    """Supplier-order lines waiting at the supplier until a truck takes them."""

    supplier_order: str
    lines: list[td.Line]
    ready: date
    division: str
    signal: Signal | None  # fired with the received lines when bought for a customer order


@dataclass
class Supply:
    w: World
    pending: dict[str, list[Pending]] = field(default_factory=lambda: defaultdict(list))
    trucks: int = 0

    # --- ordering ------------------------------------------------------------

    def order_for_customer(self, order_ref: str, lines: list[td.Line], division: str) -> Signal:
        """A supplier order for a customer order's equipment; the signal fires when it is received."""
        w, sim = self.w, self.w.sim
        role = lines[0].item.supplier
        supplier = w.company.suppliers[role]
        rng = sim.stream("supply")
        bought = [td.Line(x.item, x.quantity, x.item.cost) for x in lines]
        ready = sim.today + timedelta(days=rng.randrange(18, 45))
        doc = td.supplier_order(w, sim.at(), supplier, bought, 0, division=division, for_order=order_ref,
                                ready=sim.at(on=ready), reference=f"PO-{sim.misc.randrange(10**5, 10**6)}")
        for x in bought:
            x.supplier_order = doc["Ref_Key"]
        signal = Signal()
        self.pending[role].append(Pending(doc["Ref_Key"], bought, ready, division, signal))
        sim.sched.spawn(sim.today + timedelta(days=rng.randrange(1, 5)),
                        self._pay_supplier(role, doc["Ref_Key"], sum(x.amount for x in bought) * 3 // 10,
                                           "Аванс поставщику 30%"))
        return signal

    def _pay_supplier(self, role: str, order: str, amount: int, purpose: str):
        yield self.w.sim.today
        supplier = self.w.company.suppliers[role]
        pay(self.w, BANK_OUT, supplier, [PayLine("to_suppliers", amount, order, td.SUPPLIER_ORDER)],
            "ОплатаПоставщику", purpose, currency=supplier.currency)

    def replenish(self):
        """Every Tuesday: order stock items whose stock and orders fall below their reorder point."""
        w, sim = self.w, self.w.sim
        stock_items = [i for i in w.company.items if not i.to_order]
        while True:
            while sim.today.weekday() != 1:
                yield sim.today + timedelta(days=1)
            wanted: dict[str, list[td.Line]] = defaultdict(list)
            for item in stock_items:
                lead = IMPORT_LEAD_WEEKS if item.supplier in IMPORT_SUPPLIERS else LOCAL_LEAD_WEEKS
                position = w.stock.available(item.ref) + w.stock.on_order(item.ref)
                if position < item.weekly * (lead + 2):
                    quantity = max(1, round(item.weekly * (lead + 6)) - position)
                    w.stock.order(item.ref, quantity)
                    wanted[item.supplier].append(td.Line(item, quantity, item.cost))
            for role in sorted(wanted):
                self._order_stock(role, wanted[role])
            yield sim.today + timedelta(days=7)

    def _order_stock(self, role: str, lines: list[td.Line]) -> None:
        w, sim = self.w, self.w.sim
        rng = sim.stream("supply")
        supplier = w.company.suppliers[role]
        vat = 0 if role in IMPORT_SUPPLIERS else vat_rate(sim.today)
        if vat:  # local suppliers quote prices incl. VAT
            lines = [td.Line(x.item, x.quantity, x.price * (100 + vat) // 100) for x in lines]
        ready = sim.today + timedelta(days=rng.randrange(10, 25) if vat == 0 else rng.randrange(3, 10))
        doc = td.supplier_order(w, sim.at(), supplier, lines, vat, division="materials", for_order=EMPTY_REF,
                                ready=sim.at(on=ready), reference=f"ST-{sim.misc.randrange(10**5, 10**6)}")
        for x in lines:
            x.supplier_order = doc["Ref_Key"]
        if vat == 0:
            self.pending[role].append(Pending(doc["Ref_Key"], lines, ready, "materials", None))
            sim.sched.spawn(sim.today + timedelta(days=rng.randrange(1, 5)),
                            self._pay_supplier(role, doc["Ref_Key"], sum(x.amount for x in lines) * 3 // 10,
                                               "Аванс поставщику 30%"))
        else:
            sim.sched.spawn(ready, self._local_delivery(role, doc["Ref_Key"], lines))

    def _local_delivery(self, role: str, order: str, lines: list[td.Line]):
        w, sim = self.w, self.w.sim
        yield sim.today
        supplier = w.company.suppliers[role]
        vat = vat_rate(sim.today)
        when = sim.at(8, 10)
        for x in lines:
            x.series = td.series(w, x.item, f"L{sim.ids.code('local series')}", when)
        td.receipt(w, when, supplier, lines, vat, operation="ЗакупкаУПоставщика", division="materials")
        self._stock_in(lines, when.date(), vat)
        total = sum(x.amount for x in lines)
        w.actuals.add_vat(sim.today, -sum(vat_inside(x.amount, vat) for x in lines))
        yield sim.today + timedelta(days=sim.stream("supply").randrange(7, 21))
        pay(w, BANK_OUT, supplier, [PayLine("to_suppliers", total, order, td.SUPPLIER_ORDER)], "ОплатаПоставщику",
            "Оплата по счету поставщика")

    def _stock_in(self, lines: list[td.Line], day: date, vat: int) -> None:
        w = self.w
        for x in lines:
            w.stock.order(x.item.ref, -x.quantity)
            w.stock.receive(Lot(x.series, x.item.ref, x.quantity, day, self._unit_cost(x, vat)))

    def _unit_cost(self, x: td.Line, vat: int) -> int:
        currency = self.w.company.suppliers[x.item.supplier].currency
        return self.w.rates.to_rub(x.price - vat_inside(x.price, vat), currency)

    # --- import logistics ----------------------------------------------------

    def logistics(self, role: str, weekday: int):
        """Every week on `weekday`: load a truck with the supplier's ready lines and send it."""
        sim = self.w.sim
        while True:
            while sim.today.weekday() != weekday:
                yield sim.today + timedelta(days=1)
            ready = [p for p in self.pending[role] if p.ready <= sim.today]
            if ready:
                self.pending[role] = [p for p in self.pending[role] if p.ready > sim.today]
                sim.sched.spawn(sim.today, self._truck(role, ready))
            yield sim.today + timedelta(days=7)

    def _truck(self, role: str, loads: list[Pending]):
        w, sim = self.w, self.w.sim
        rng = sim.stream("supply")
        supplier = w.company.suppliers[role]
        self.trucks += 1
        loaded = sim.at(8, 12)
        lines = [x for p in loads for x in p.lines]
        for n, x in enumerate(lines, 1):
            x.series = td.series(w, x.item, f"T{self.trucks:05d}-{n:03d}", loaded)
        value = sum(x.amount for x in lines)
        packaging = value * rng.randrange(8, 20) // 1000
        gross = sum(x.item.weight_gross * x.quantity for x in lines)
        transport = (90_000 + int(gross * rng.uniform(9, 16))) * 100
        letters = "ABEKMHOPCTX"  # plate letters that look alike in Cyrillic and Latin
        plate = f"{rng.choice(letters)}{rng.randrange(100, 999)}{rng.choice(letters)}{rng.choice(letters)}77"
        invoice = f"INV-{role[4:].upper()}-{sim.today.year}-{self.trucks:05d}"
        truck = td.truck(w, loaded, supplier, lines, plate=plate, invoice=invoice, packaging=packaging,
                         transport=transport)
        if w.sim.live:
            write_invoice(w.sim.out, invoice, supplier, loaded.date(), plate, lines, packaging)
        # the balance of every supplier order on the truck, and packaging, are paid on loading
        for p in loads:
            balance = sum(x.amount for x in p.lines) - sum(x.amount for x in p.lines) * 3 // 10
            pay(w, BANK_OUT, supplier, [PayLine("to_suppliers", balance, p.supplier_order, td.SUPPLIER_ORDER)],
                "ОплатаПоставщику", f"Оплата по инвойсу {invoice}", currency=supplier.currency)
        td.services(w, loaded, supplier, [td.CostLine("packaging", packaging, 0, truck["Ref_Key"], td.TRUCK)],
                    f"Упаковка по инвойсу {invoice}")
        pay(w, BANK_OUT, supplier, [PayLine("services", packaging)], "ОплатаПоставщику", "Упаковка",
            currency=supplier.currency)
        # border: customs duty, fee and import VAT paid the day before the declaration
        yield sim.today + timedelta(days=rng.randrange(7, 13))
        vat = vat_rate(sim.today)
        declared = [td.CustomsLine(x, w.rates.to_rub(x.amount, supplier.currency), x.item.duty_rate) for x in lines]
        fee = td.customs_fee(sum(c.value for c in declared))
        duty_and_vat = sum(c.duty + c.vat(vat) for c in declared)
        customs_authority = w.company.suppliers["customs"]
        pay(w, BANK_OUT, customs_authority, [PayLine("customs", duty_and_vat + fee)], "ПрочийРасход",
            "Таможенные платежи", sim.at(8, 10))
        receipt_ref = sim.ids.guid()
        number = f"10129060/{sim.today:%d%m%y}/{self.trucks:07d}"
        declaration = td.customs(w, sim.at(10, 12), declared, vat, number=number, truck_ref=truck["Ref_Key"],
                                 receipt_ref=receipt_ref, fee=fee)
        w.actuals.add_vat(sim.today, -sum(c.vat(vat) for c in declared))
        broker = rng.randrange(15_000, 35_000) * 100
        td.services(w, sim.at(12, 17), w.company.suppliers["broker"],
                    [td.CostLine("broker", broker, vat, declaration["Ref_Key"], td.CUSTOMS)], "Брокерские услуги")
        # the warehouse receives the truck a day or two later
        yield sim.today + timedelta(days=rng.randrange(1, 3))
        received = sim.at(8, 10)
        division = loads[0].division
        receipt = td.receipt(w, received, supplier, lines, 0, operation="ЗакупкаПоИмпорту", division=division,
                             truck_ref=truck["Ref_Key"], warehouse="transit" if loads[0].signal else "main",
                             ref=receipt_ref)
        for p in loads:
            if p.signal is None:
                self._stock_in(p.lines, received.date(), 0)
            else:
                sim.sched.fire(p.signal, p.lines)
        vendors = []
        if rng.random() < 0.3:
            vendors.append((rng.randrange(0, 21), "certification", [td.CostLine(
                "certification", rng.randrange(20_000, 80_000) * 100, vat, receipt["Ref_Key"], td.RECEIPT)]))
        late = rng.random() < 0.4  # the carrier's invoice comes weeks later: part of the series is sold by then
        vendors.append((rng.randrange(15, 45) if late else 0, "carrier", [td.CostLine(
            "transport_in", transport, vat, truck["Ref_Key"], td.TRUCK)]))
        for delay, role_of_vendor, cost_lines in sorted(vendors, key=lambda v: v[0]):
            sim.sched.spawn(sim.today + timedelta(days=delay), self._service_bill(role_of_vendor, cost_lines))

    def _service_bill(self, role: str, lines: list[td.CostLine]):
        w, sim = self.w, self.w.sim
        yield sim.today
        vendor = w.company.suppliers[role]
        td.services(w, sim.at(), vendor, lines, "Счет на услуги")
        w.actuals.add_vat(sim.today, -sum(vat_inside(c.amount, c.vat) for c in lines))
        yield sim.today + timedelta(days=sim.stream("supply").randrange(5, 15))
        pay(w, BANK_OUT, vendor, [PayLine("services", sum(c.amount for c in lines))], "ОплатаПоставщику",
            "Оплата услуг")

