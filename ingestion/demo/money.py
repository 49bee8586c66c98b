"""Payment documents (bank and cash desk, in and out) and the month's overheads.

Every payment line names a cash-flow article and, where 1C would, the order it settles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ingestion.demo.actuals import month_of
from ingestion.demo.company import Partner
from ingestion.demo.values import EMPTY_REF, composite, rub
from ingestion.demo.world import World

BANK_IN = "Document_ПоступлениеБезналичныхДенежныхСредств"
BANK_OUT = "Document_СписаниеБезналичныхДенежныхСредств"
CASH_IN = "Document_ПриходныйКассовыйОрдер"
CASH_OUT = "Document_РасходныйКассовыйОрдер"
EXPENSES = "Document_ПрочиеРасходы"
INFLOWS = (BANK_IN, CASH_IN)


@dataclass
class PayLine:
    article: str  # cash-flow article key
    amount: int  # kopecks (hundredths of the document currency)
    order: str = EMPTY_REF
    order_entity: str = ""
    contract: str = EMPTY_REF


def pay(w: World, entity: str, partner: Partner, lines: list[PayLine], operation: str, purpose: str,
        when: datetime | None = None, *, currency: str = "RUB", posted: bool = True, deleted: bool = False) -> dict:
    """Write a payment document and count it in the month's cash actuals."""
    sim, co = w.sim, w.company
    when = when or sim.at()
    total = sum(line.amount for line in lines)
    rows = []
    for line in lines:
        order, order_type = composite(line.order, line.order_entity)
        rows.append({"Заказ": order, "Заказ_Type": order_type,
                     "Договор_Key": line.contract if line.contract != EMPTY_REF else partner.contract,
                     "СтатьяДвиженияДенежныхСредств_Key": co.cash_articles[line.article],
                     "Сумма": rub(line.amount)})
    values = {"Организация_Key": co.org, "Контрагент_Key": partner.counterparty,
              "Валюта_Key": co.currencies[currency], "ХозяйственнаяОперация": operation,
              "СуммаДокумента": rub(total)}
    if entity in (BANK_IN, BANK_OUT):
        values["НазначениеПлатежа"] = purpose
    if entity == BANK_IN:
        values["НомерВходящегоДокумента"] = str(sim.misc.randrange(1, 100_000))
    doc = sim.document(entity, when, values, {"РасшифровкаПлатежа": rows}, posted=posted, deleted=deleted)
    if posted and not deleted:
        sign = 1 if entity in INFLOWS else -1
        in_rub = w.rates.to_rub(total, currency)
        for line in lines:
            w.actuals.add_cash(line.article, when.date(), w.rates.to_rub(line.amount, currency))
        if entity in (BANK_IN, BANK_OUT):
            w.actuals.bank += sign * in_rub
        else:
            w.actuals.cash_desk += sign * in_rub
        if entity == BANK_OUT:
            w.actuals.outgoing_payments[month_of(when.date())] += 1
    return doc


def accrue(w: World, article: str, vendor: Partner, month_start: date, per_division: dict[str, int], comment: str,
           when: datetime | None = None) -> dict:
    """An overhead accrual (Document_ПрочиеРасходы) for one article and month."""
    co = w.company
    rows = [{"Подразделение_Key": co.divisions[d], "Сумма": rub(a)} for d, a in per_division.items() if a]
    total = sum(per_division.values())
    doc = w.sim.document(EXPENSES, when or w.sim.at(), {
        "Организация_Key": co.org, "Контрагент_Key": vendor.counterparty,
        "СтатьяРасходов_Key": co.expense_articles[article], "ПериодНачисления": f"{month_start.isoformat()}T00:00:00",
        "СуммаДокумента": rub(total), "Комментарий": comment}, {"Расходы": rows})
    w.actuals.add_pnl(article, month_start, total)
    return doc


def month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def workday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def overheads(w: World):
    """Each month: accrue rent, payroll, logistics, marketing, bank fees; pay them; deposit cash; pay VAT quarterly."""
    sim, co, sup = w.sim, w.company, w.company.suppliers
    rng = sim.stream("overheads")
    managers = {d: sum(1 for m in co.managers if m.division == d) for d in ("equipment", "materials")}
    while True:
        first = sim.today.replace(day=1)
        # rent is paid in advance in the first working days of the month
        rent = {"admin": 150_000_00, "logistics": 300_000_00 + 20_000_00 * len(co.managers)}
        yield workday_on_or_after(first + timedelta(days=2))
        pay(w, BANK_OUT, sup["landlord"], [PayLine("rent", sum(rent.values()))], "ОплатаПоставщику",
            f"Аренда за {first:%m.%Y}")
        # payroll of the previous month on the 10th
        yield workday_on_or_after(first + timedelta(days=9))
        payroll_due = w.actuals.pnl.get(("payroll", month_of(first - timedelta(days=1))), 0)
        if payroll_due:
            pay(w, BANK_OUT, sup["staff"], [PayLine("payroll", payroll_due)], "ВыплатаЗарплаты",
                "Заработная плата за прошлый месяц")
        # last month's ad spend and warehouse logistics on the 15th
        yield workday_on_or_after(first + timedelta(days=14))
        previous = month_of(first - timedelta(days=1))
        for article, vendor in (("marketing", "yandex"), ("logistics", "carrier")):
            amount = w.actuals.pnl.get((article, previous), 0)
            if amount:
                pay(w, BANK_OUT, sup[vendor], [PayLine("marketing" if article == "marketing" else "services", amount)],
                    "ОплатаПоставщику", f"Оплата услуг за {previous}")
        if first.month in (1, 4, 7, 10):
            quarter_day = first - timedelta(days=1)
            due = w.actuals.vat.get(f"{quarter_day.year}Q{(quarter_day.month - 1) // 3 + 1}", 0)
            if due > 0:
                pay(w, BANK_OUT, sup["tax"], [PayLine("taxes", due)], "ПрочийРасход", "НДС за квартал")
        # month end: accruals, bank fees, cash deposit, a credit drawdown if the bank runs low
        last = month_end(first)
        yield last
        payroll = {d: n * rng.randrange(110_000, 135_000) * 100 for d, n in managers.items()}
        payroll["admin"] = 2 * 95_000_00
        payroll["logistics"] = 2 * 80_000_00
        accrue(w, "payroll", sup["staff"], first, payroll, "Начисление зарплаты")
        accrue(w, "rent", sup["landlord"], first, rent, "Аренда")
        revenue = w.actuals.pnl.get(("revenue", month_of(first)), 0)
        accrue(w, "logistics", sup["carrier"], first, {"logistics": 80_000_00 + revenue * 15 // 1000 // 100 * 100},
               "Складская логистика")
        spend = w.ads.month_spend(month_of(first))
        if spend:
            accrue(w, "marketing", sup["yandex"], first, {"admin": spend}, "Реклама по данным сквозной аналитики")
        fees = 1_500_00 + 35_00 * w.actuals.outgoing_payments.get(month_of(first), 0)
        accrue(w, "bank_fees", sup["bank"], first, {"admin": fees}, "Комиссии банка")
        pay(w, BANK_OUT, sup["bank"], [PayLine("bank_fees", fees)], "ПрочийРасход", "Комиссия банка")
        if w.actuals.cash_desk > 0:
            deposit = w.actuals.cash_desk
            pay(w, CASH_OUT, sup["bank"], [PayLine("cash_out", deposit)], "ВзносНаличнымиВБанк", "")
            pay(w, BANK_IN, sup["bank"], [PayLine("cash_in", deposit)], "ВзносНаличными", "Взнос наличных")
        if w.actuals.bank < 5_000_000_00:
            loan = (5_000_000_00 - w.actuals.bank) // 1_000_000_00 * 1_000_000_00 + 3_000_000_00
            pay(w, BANK_IN, sup["bank"], [PayLine("loan_in", loan)], "ПолучениеКредита", "Кредитная линия")
        yield last + timedelta(days=1)

