"""Builders of the trade documents, from explicit values: the simulation and the hand-written scenario share them.

Amounts follow 1C: line amount = quantity × price (kopecks, exact), VAT inside the amount rounded per line,
the document total = Σ line amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ingestion.demo.company import Item, Partner
from ingestion.demo.values import EMPTY_REF, composite, div_round, dt, rub, vat_code, vat_inside
from ingestion.demo.world import World

ORDER = "Document_ЗаказКлиента"
SUPPLIER_ORDER = "Document_ЗаказПоставщику"
TRUCK = "Document_ТоварВМашине"
CUSTOMS = "Document_ТаможеннаяДекларацияИмпорт"
RECEIPT = "Document_ПриобретениеТоваровУслуг"
SERVICES = "Document_ПриобретениеУслугПрочихАктивов"
SHIPMENT = "Document_РеализацияТоваровУслуг"
RETURN = "Document_ВозвратТоваровОтКлиента"
SERIES = "Catalog_СерииНоменклатуры"
OPENING = "Document_ВводОстатков"


@dataclass
class Line:
    item: Item
    quantity: int
    price: int  # hundredths of the document currency, incl. VAT where VAT applies
    series: str = EMPTY_REF
    supplier_order: str = EMPTY_REF
    amount: int = field(init=False)  # quantity × price, exact in hundredths

    def __post_init__(self) -> None:
        self.amount = self.quantity * self.price


def goods(lines: list[Line], vat: int, *, series: bool = False, supplier_order: bool = False) -> list[dict]:
    """Goods lines in registry order; the hottest loop of a large run, hence written out plainly."""
    code = vat_code(vat)
    rows = []
    for line in lines:
        row = {"Номенклатура_Key": line.item.ref}
        if series:
            row["Серия_Key"] = line.series
        if supplier_order:
            row["ЗаказПоставщику_Key"] = line.supplier_order
        row["Количество"] = float(line.quantity)
        row["Цена"] = rub(line.price)
        row["Сумма"] = rub(line.amount)
        row["СтавкаНДС"] = code
        row["СуммаНДС"] = rub(vat_inside(line.amount, vat))
        rows.append(row)
    return rows


def customer_order(w: World, when: datetime, client: Partner, lines: list[Line], vat: int, *, deal: str,
                   division: str, manager: str, warehouse: str, ship_by: datetime, ref: str | None = None,
                   posted: bool = True, status: str = "КОбеспечению") -> dict:
    co = w.company
    return w.sim.document(ORDER, when, {
        "Организация_Key": co.org, "Партнер_Key": client.partner, "Контрагент_Key": client.counterparty,
        "Договор_Key": client.contract, "Склад_Key": co.warehouses[warehouse],
        "Подразделение_Key": co.divisions[division],
        "Менеджер_Key": manager, "Валюта_Key": co.currencies["RUB"], "Интерес_Key": deal, "Статус": status,
        "ЖелаемаяДатаОтгрузки": dt(ship_by), "ЦенаВключаетНДС": True,
        "СуммаДокумента": rub(sum(x.amount for x in lines))}, {"Товары": goods(lines, vat)}, ref=ref, posted=posted)


def supplier_order(w: World, when: datetime, supplier: Partner, lines: list[Line], vat: int, *, division: str,
                   for_order: str, ready: datetime, reference: str, ref: str | None = None) -> dict:
    co = w.company
    return w.sim.document(SUPPLIER_ORDER, when, {
        "Организация_Key": co.org, "Партнер_Key": supplier.partner, "Контрагент_Key": supplier.counterparty,
        "Договор_Key": supplier.contract, "Склад_Key": co.warehouses["transit" if for_order != EMPTY_REF else "main"],
        "Подразделение_Key": co.divisions[division], "Валюта_Key": co.currencies[supplier.currency],
        "ЗаказКлиента_Key": for_order, "Референс": reference, "ДатаГотовности": dt(ready),
        "ЦенаВключаетНДС": bool(vat), "СуммаДокумента": rub(sum(x.amount for x in lines))},
        {"Товары": goods(lines, vat)}, ref=ref)


def series(w: World, item: Item, number: str, produced: datetime) -> str:
    return w.sim.catalog(SERIES, number, f"{item.code} {number}", {
        "Номенклатура_Key": item.ref, "Номер": number, "ДатаПроизводства": dt(produced)})["Ref_Key"]


def truck(w: World, when: datetime, supplier: Partner, lines: list[Line], *, plate: str, invoice: str,
          packaging: int, transport: int, status: str = "Прибыл", ref: str | None = None) -> dict:
    co = w.company
    rows = []
    for line in lines:
        rows.append({
            "Номенклатура_Key": line.item.ref, "ЗаказПоставщику_Key": line.supplier_order, "Серия_Key": line.series,
            "НомерИнвойса": invoice, "ДатаИнвойса": dt(when.replace(hour=0, minute=0, second=0)),
            "ВесБрутто": round(line.item.weight_gross * line.quantity, 2),
            "ВесНетто": round(line.item.weight_net * line.quantity, 2),
            "КоличествоМест": str(max(1, line.quantity // 4)), "КодТНВЭД": line.item.hs_code,
            "Количество": float(line.quantity), "Цена": rub(line.price), "Сумма": rub(line.amount)})
    return w.sim.document(TRUCK, when, {
        "Организация_Key": co.org, "Партнер_Key": supplier.partner, "Контрагент_Key": supplier.counterparty,
        "Договор_Key": supplier.contract, "Валюта_Key": co.currencies[supplier.currency], "ГосНомер": plate,
        "ДатаЗагрузки": dt(when), "Статус": status, "СтоимостьУпаковки": rub(packaging),
        "СтоимостьПеревозки": rub(transport), "СуммаДокумента": rub(sum(x.amount for x in lines))},
        {"Товары": rows}, ref=ref)


@dataclass
class CustomsLine:
    line: Line
    value: int  # customs value, kopecks
    duty_rate: int  # percent

    @property
    def duty(self) -> int:
        return div_round(self.value * self.duty_rate, 100)

    def vat(self, rate: int) -> int:
        return div_round((self.value + self.duty) * rate, 100)


CUSTOMS_FEES = ((200_000_00, 775_00), (450_000_00, 1_550_00), (1_200_000_00, 3_100_00), (2_700_000_00, 8_530_00),
                (4_200_000_00, 12_000_00), (5_500_000_00, 15_500_00), (7_000_000_00, 20_000_00),
                (8_000_000_00, 23_000_00), (9_000_000_00, 25_000_00), (10_000_000_00, 27_000_00))


def customs_fee(value: int) -> int:
    """The customs fee by customs value bracket (RF government decree 1637, 2020 brackets)."""
    for limit, fee in CUSTOMS_FEES:
        if value <= limit:
            return fee
    return 30_000_00


def customs(w: World, when: datetime, lines: list[CustomsLine], vat: int, *, number: str, truck_ref: str,
            receipt_ref: str, fee: int, ref: str | None = None) -> dict:
    co, authority = w.company, w.company.suppliers["customs"]
    rows = [{"Номенклатура_Key": c.line.item.ref, "Серия_Key": c.line.series, "ТаможеннаяСтоимость": rub(c.value),
             "СтавкаПошлины": float(c.duty_rate), "СуммаПошлины": rub(c.duty), "СуммаНДС": rub(c.vat(vat))}
            for c in lines]
    return w.sim.document(CUSTOMS, when, {
        "Организация_Key": co.org, "Контрагент_Key": authority.counterparty, "Договор_Key": authority.contract,
        "НомерДекларации": number, "ТоварВМашине_Key": truck_ref, "ДокументПоступления_Key": receipt_ref,
        "ТаможенныйСбор": rub(fee), "СуммаПошлины": rub(sum(c.duty for c in lines)),
        "СуммаНДС": rub(sum(c.vat(vat) for c in lines))}, {"Товары": rows}, ref=ref)


def receipt(w: World, when: datetime, supplier: Partner, lines: list[Line], vat: int, *, operation: str,
            division: str, truck_ref: str = EMPTY_REF, warehouse: str = "main", ref: str | None = None) -> dict:
    co = w.company
    return w.sim.document(RECEIPT, when, {
        "Организация_Key": co.org, "Партнер_Key": supplier.partner, "Контрагент_Key": supplier.counterparty,
        "Договор_Key": supplier.contract, "Склад_Key": co.warehouses[warehouse],
        "Подразделение_Key": co.divisions[division], "Валюта_Key": co.currencies[supplier.currency],
        "ХозяйственнаяОперация": operation, "ЗаказПоставщику_Key": lines[0].supplier_order,
        "ТоварВМашине_Key": truck_ref, "ЦенаВключаетНДС": bool(vat),
        "СуммаДокумента": rub(sum(x.amount for x in lines))},
        {"Товары": goods(lines, vat, series=True, supplier_order=True)}, ref=ref)


@dataclass
class CostLine:
    article: str  # expense article key
    amount: int  # incl. VAT, hundredths of the document currency
    vat: int  # rate, percent; 0 = without VAT
    attached_to: str = EMPTY_REF
    attached_entity: str = ""
    division: str = "logistics"


def services(w: World, when: datetime, vendor: Partner, lines: list[CostLine], comment: str, *,
             ref: str | None = None) -> dict:
    co = w.company
    rows = []
    for c in lines:
        target, target_type = composite(c.attached_to, c.attached_entity)
        rows.append({"СтатьяРасходов_Key": co.expense_articles[c.article], "АналитикаРасходов": target,
                     "АналитикаРасходов_Type": target_type, "Подразделение_Key": co.divisions[c.division],
                     "Сумма": rub(c.amount), "СтавкаНДС": vat_code(c.vat),
                     "СуммаНДС": rub(vat_inside(c.amount, c.vat))})
    return w.sim.document(SERVICES, when, {
        "Организация_Key": co.org, "Партнер_Key": vendor.partner, "Контрагент_Key": vendor.counterparty,
        "Договор_Key": vendor.contract, "Валюта_Key": co.currencies[vendor.currency],
        "СуммаДокумента": rub(sum(c.amount for c in lines)), "Комментарий": comment}, {"Расходы": rows}, ref=ref)


def shipment(w: World, when: datetime, client: Partner, lines: list[Line], vat: int, *, order: str, division: str,
             manager: str, warehouse: str, comment: str = "", ref: str | None = None, posted: bool = True) -> dict:
    co = w.company
    return w.sim.document(SHIPMENT, when, {
        "Контрагент_Key": client.counterparty, "Договор_Key": client.contract, "ЗаказКлиента_Key": order,
        "Склад_Key": co.warehouses[warehouse], "Подразделение_Key": co.divisions[division], "Менеджер_Key": manager,
        "Валюта_Key": co.currencies["RUB"], "СуммаДокумента": rub(sum(x.amount for x in lines)),
        "Организация_Key": co.org, "Партнер_Key": client.partner, "Комментарий": comment},
        {"Товары": goods(lines, vat, series=True)}, ref=ref, posted=posted)


def customer_return(w: World, when: datetime, client: Partner, lines: list[Line], vat: int, *, shipment_ref: str,
                    order: str, division: str, manager: str, warehouse: str) -> dict:
    co = w.company
    return w.sim.document(RETURN, when, {
        "Организация_Key": co.org, "Партнер_Key": client.partner, "Контрагент_Key": client.counterparty,
        "Договор_Key": client.contract, "Склад_Key": co.warehouses[warehouse],
        "Подразделение_Key": co.divisions[division], "Менеджер_Key": manager, "Валюта_Key": co.currencies["RUB"],
        "ДокументРеализации_Key": shipment_ref, "ЗаказКлиента_Key": order,
        "СуммаДокумента": rub(sum(x.amount for x in lines))}, {"Товары": goods(lines, vat, series=True)})


def opening(w: World, when: datetime, kind: str, comment: str, *, goods_rows: list[dict] = (),
            money_rows: list[dict] = (), partner_rows: list[dict] = ()) -> dict:
    return w.sim.document(OPENING, when, {"Организация_Key": w.company.org, "ТипОперации": kind,
                                          "Комментарий": comment},
                          {"Товары": list(goods_rows), "ДенежныеСредства": list(money_rows),
                           "Расчеты": list(partner_rows)})

