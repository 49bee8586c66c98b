"""CRM: leads by channel, deals (interests) and their state history, interactions and calls around them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ingestion.demo.ad_costs import CHANNELS
from ingestion.demo.company import Manager, Partner, new_client, phone
from ingestion.demo.scheduler import Signal
from ingestion.demo.sim import Sim
from ingestion.demo.values import EMPTY_DATE, EMPTY_REF, dt, rub
from ingestion.demo.world import World

STATES = ("Первичный интерес", "Подготовка ТКП", "ТКП подготовлено. Согласовать", "Выставить счет",
          "Счет отправлен", "Заказ к размещению", "Заказ размещен", "Товар на складе. Доплата?",
          "Готов к отгрузке", "Оплата отсрочки", "Успешно", "Потерян")
(FIRST, PREPARING, PROPOSAL, INVOICE, INVOICE_SENT, TO_PLACE, PLACED, IN_STOCK, READY, DEFERRED, WON, LOST) = range(12)
LEAD_REASONS = ("Спам", "Не наш профиль", "Дубль обращения", "Ошибся номером", "Частное лицо без бюджета")
LOST_REASONS = ("Дорого", "Выбрали конкурента", "Не устроили сроки поставки", "Нет бюджета", "Проект отложен")
# channel, weight, how it reaches us
LEAD_CHANNELS = (("ЭлектроннаяПочта", 18), ("ФормаНаСайте", 22), ("Телефон", 34), ("Мессенджер", 10),
                 ("Маркетплейс", 8), ("ОбратныйЗвонок", 8))
LEAD = "Document_CRM_Лид"
DEAL = "Document_CRM_Интерес"
HISTORY = "InformationRegister_CRM_ИсторияСостоянийИнтересов"
INTERACTION = "Document_CRM_Взаимодействие"


@dataclass
class CrmCatalogs:
    states: list[str]
    lead_reasons: list[str]
    lost_reasons: list[str]


def build_crm_catalogs(sim: Sim) -> CrmCatalogs:
    states = [sim.catalog("Catalog_CRM_СостоянияИнтересов", f"{i:03d}", name, {
        "Порядок": str(i), "Завершающее": i >= WON})["Ref_Key"] for i, name in enumerate(STATES, 1)]
    lead_reasons = [sim.catalog("Catalog_CRM_ПричиныОтказа", f"L{i:02d}", name, {"ВидПричины": "Лид"})["Ref_Key"]
                    for i, name in enumerate(LEAD_REASONS, 1)]
    lost_reasons = [sim.catalog("Catalog_CRM_ПричиныОтказа", f"I{i:02d}", name, {"ВидПричины": "Интерес"})["Ref_Key"]
                    for i, name in enumerate(LOST_REASONS, 1)]
    return CrmCatalogs(states, lead_reasons, lost_reasons)


@dataclass
class Deal:
    ref: str
    client: Partner
    manager: Manager
    division: str  # "equipment" (made to order) or "materials" (from stock)
    obj: dict  # the Интерес as last written
    state: int = FIRST
    last_change: datetime = datetime.min
    open_orders: int = 0
    done: Signal = field(default_factory=Signal)
    orders: list = field(default_factory=list)  # order_flow.Order objects
    joint_payment: bool = False  # several orders, one payment at the end


def poisson(rng, mean: float) -> int:
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def daily_leads(w: World, day: date) -> None:
    from ingestion.demo.orders import lead_process  # the lead process opens deals whose orders live there

    rng = w.sim.stream("leads")
    mean = w.scale.leads_per_workday * (0.15 if day.weekday() >= 5 else 1.0)
    for _ in range(poisson(rng, mean)):
        w.sim.sched.spawn(day, lead_process(w))


def lead_source(rng, channel: str) -> tuple[str, str, str]:
    """utm_source, utm_campaign and the tracked line of a lead of this channel."""
    if channel in ("Телефон", "ФормаНаСайте", "ОбратныйЗвонок"):
        source, _, line, campaigns = rng.choices(CHANNELS, (50, 15, 12, 18, 5))[0]
        campaign = rng.choice(campaigns)[0] if campaigns else ""
        return source, campaign, line if channel == "Телефон" else ""
    if channel == "Маркетплейс":
        return "avito", "avito_listings", ""
    if channel == "Мессенджер":
        return rng.choice(("telegram", "whatsapp")), "", ""
    return "email", "", ""


def write_lead(w: World, when: datetime, channel: str, source: str, campaign: str, line: str, contact: str,
               company: str, manager: Manager, *, partner: str, status: str, reason: str, deal: str) -> dict:
    return w.sim.document(LEAD, when, {
        "КаналПривлечения": channel, "ИсточникUTM": source, "КампанияUTM": campaign, "НомерЛинии": line,
        "Телефон": contact, "ЭлектроннаяПочта": f"{contact[-7:]}@mail.example" if channel == "ЭлектроннаяПочта" else "",
        "Компания": company, "Ответственный_Key": manager.ref, "Партнер_Key": partner, "Статус": status,
        "ПричинаОтказа_Key": reason, "Интерес_Key": deal})


def open_deal(w: World, when: datetime, client: Partner, manager: Manager, lead: str, division: str,
              expected: int, ref: str) -> Deal:
    obj = w.sim.document(DEAL, when, {
        "Партнер_Key": client.partner, "Ответственный_Key": manager.ref, "Лид_Key": lead,
        "Подразделение_Key": w.company.divisions[division], "Состояние_Key": w.crm.states[FIRST],
        "ДатаСостояния": dt(when), "Выручка": rub(expected), "ПричинаПроигрыша_Key": EMPTY_REF,
        "ДатаЗавершения": EMPTY_DATE}, ref=ref)
    deal = Deal(ref, client, manager, division, obj, FIRST, when)
    w.sim.record(HISTORY, {"Period": dt(when), "Интерес_Key": ref, "Состояние_Key": w.crm.states[FIRST],
                           "Пользователь_Key": manager.ref})
    return deal


def set_state(w: World, deal: Deal, state: int, reason: str = EMPTY_REF) -> None:
    """Move the deal (back or forth): a history record and the Интерес written again."""
    if state == deal.state:
        return
    when = max(w.sim.at(), deal.last_change + timedelta(minutes=1))
    deal.state, deal.last_change = state, when
    w.sim.record(HISTORY, {"Period": dt(when), "Интерес_Key": deal.ref, "Состояние_Key": w.crm.states[state],
                           "Пользователь_Key": deal.manager.ref})
    closing = state in (WON, LOST)
    deal.obj = w.sim.rewrite(DEAL, deal.obj, Состояние_Key=w.crm.states[state], ДатаСостояния=dt(when),
                             ПричинаПроигрыша_Key=reason, ДатаЗавершения=dt(when) if closing else EMPTY_DATE)


def interaction(w: World, when: datetime, kind: str, incoming: bool, deal: Deal | None, client: Partner | None,
                manager: Manager, contact: str, subject: str) -> None:
    w.sim.document(INTERACTION, when, {
        "ВидВзаимодействия": kind, "Входящее": incoming,
        "Партнер_Key": client.partner if client else EMPTY_REF, "Интерес_Key": deal.ref if deal else EMPTY_REF,
        "Ответственный_Key": manager.ref, "Телефон": contact, "Тема": subject, "Состояние": "Завершено"})


def call_client(w: World, deal: Deal, subject: str) -> None:
    """A manager calls the client about the deal; logged in Mango and as an interaction when answered."""
    rng = w.calls.rng
    when = w.sim.at()
    answered = rng.random() < 0.75
    w.calls.outbound(when, deal.manager.extension, digits(deal.manager.phone), digits(deal.client.phone), answered)
    if answered:
        interaction(w, when, "ТелефонныйЗвонок", False, deal, deal.client, deal.manager, deal.client.phone, subject)


def digits(number: str) -> str:
    return number.lstrip("+")


def lead_contact(w: World, when: datetime, channel: str, line: str, contact: str, manager: Manager) -> None:
    """The calls a lead makes: an inbound call on a tracked line (maybe missed, then called back)
    or a callback ordered on the site."""
    rng, calls = w.calls.rng, w.calls
    if channel == "Телефон":
        answered = rng.random() < 0.8
        calls.inbound(when, digits(contact), line, manager.extension, digits(manager.phone), answered,
                      transfer(w, rng))
        if not answered:  # most missed calls are returned within minutes, some much later
            delay = rng.choice((3, 6, 10, 14, 25, 40, 90, 180))
            calls.outbound(when + timedelta(minutes=delay), manager.extension, digits(manager.phone), digits(contact),
                           rng.random() < 0.85)
    elif channel == "ОбратныйЗвонок":
        calls.outbound(when + timedelta(seconds=rng.randrange(20, 600)), manager.extension, digits(manager.phone),
                       digits(contact), rng.random() < 0.9)


def transfer(w: World, rng) -> tuple[str, str] | None:
    """Now and then the manager who answers passes the caller to a colleague (a third leg)."""
    if rng.random() >= 0.07:
        return None
    colleague = rng.choice(w.company.managers)
    return colleague.extension, digits(colleague.phone)


def background_calls(w: World, day: date) -> None:
    """Calls that are no lead: clients ringing their managers, spam, wrong numbers."""
    if day.weekday() >= 5 or not w.company.clients:
        return
    rng = w.calls.rng
    for _ in range(poisson(rng, w.scale.calls_per_workday)):
        when = w.sim.at()
        if rng.random() < 0.7:
            client = rng.choice(w.company.clients)
            manager = w.managers[client.manager]
            if rng.random() < 0.5:
                w.calls.inbound(when, digits(client.phone), "74951110000", manager.extension,
                                digits(manager.phone), rng.random() < 0.85, transfer(w, rng))
            else:
                w.calls.outbound(when, manager.extension, digits(manager.phone), digits(client.phone),
                                 rng.random() < 0.7)
        else:
            manager = rng.choice(w.company.managers)
            w.calls.inbound(when, digits(phone(rng)), "74951110000", manager.extension, digits(manager.phone),
                            rng.random() < 0.6)


def register_client(w: World, when: datetime, tel: str, manager: Manager) -> Partner:
    client = new_client(w.sim, w.sim.stream("catalogs"), w.company, when, tel, manager)
    w.company.clients.append(client)
    return client
