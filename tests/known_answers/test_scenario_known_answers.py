"""The hand-computed known answers of the `scenario` company (scenario.yml, derived in README.md).

(a) The generated scenario still contains the inputs the derivation uses: if the generator changes a
    document, an amount or a date, these tests fail loudly and the known answers must be re-derived.
(b) The known answers tie among themselves (DOMAIN.md section 4), to the kopeck, with Decimal.

No database: the model tests (tests/dbt) assert the marts against the same scenario.yml.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from ingestion.demo.generate import generate

HERE = Path(__file__).resolve().parent
KA = yaml.safe_load((HERE / "scenario.yml").read_text(encoding="utf-8"))
MONTHS = KA["meta"]["months"]
MONTH_ENDS = KA["meta"]["month_ends"]
EMPTY = "00000000-0000-0000-0000-000000000000"
ZERO = Decimal("0.00")


def d(value) -> Decimal:
    return Decimal(str(value))


def kop(value: float) -> Decimal:
    """1C sends money as Edm.Double; round to kopecks as the staging models do."""
    return Decimal(repr(value)).quantize(Decimal("0.01"))


def total(values) -> Decimal:
    return sum((d(v) for v in values), ZERO)


# ---------------------------------------------------------------------------------------------------
# (a) the generated scenario contains the inputs
# ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def src(tmp_path_factory):
    out = tmp_path_factory.mktemp("scenario")
    generate(out, scale="scenario")
    return Source(out)


class Source:
    """The generated 1C objects, the latest version of each Ref_Key, posted and not deletion-marked."""

    def __init__(self, out: Path):
        self.out = out
        self._cache: dict[str, list[dict]] = {}

    def __call__(self, entity: str, base: str = "trade", *, all_versions: bool = False) -> list[dict]:
        path = self.out / "onec" / base / f"{entity}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if all_versions or "Ref_Key" not in rows[0]:
            return rows
        latest: dict[str, dict] = {}
        for row in rows:
            latest[row["Ref_Key"]] = row
        return [r for r in latest.values() if not r.get("@deleted") and not r.get("DeletionMark")
                and r.get("Posted", True)]

    def names(self, entity: str, field: str = "Description", base: str = "trade") -> dict[str, str]:
        return {r["Ref_Key"]: r[field] for r in self(entity, base)}

    def by_number(self, entity: str) -> dict[str, dict]:
        return {r["Number"]: r for r in self(entity)}


def month(date: str) -> str:
    return date[:7]


def test_opening_balances(src):
    docs = src.by_number("Document_ВводОстатков")
    goods = docs["ТИ00-000001"]["Товары"]
    series = src.names("Catalog_СерииНоменклатуры", "Номер")
    assert [(series[g["Серия_Key"]], g["Количество"], kop(g["Сумма"])) for g in goods] == [
        ("Н-A000002", 100.0, d(KA["series"]["Н-A000002"]["base_cost"]))]
    money = docs["ТИ00-000002"]["ДенежныеСредства"]
    assert [kop(m["Сумма"]) for m in money] == [d(KA["cashflow"]["2025-01"]["opening"])]


def test_rates_are_flat_all_quarter(src):
    currencies = src.names("Catalog_Валюты")
    rates = {(currencies[r["Валюта_Key"]], Decimal(repr(r["Курс"]))) for r in src("InformationRegister_КурсыВалют")}
    assert {(c, Decimal(v)) for c, v in KA["meta"]["rates"].items()} == rates


def test_receipts_make_the_series(src):
    series = src.names("Catalog_СерииНоменклатуры", "Номер")
    currencies = src.names("Catalog_Валюты")
    rate = {c: Decimal(v) for c, v in KA["meta"]["rates"].items()} | {"RUB": Decimal(1)}
    got = {}
    for doc in src("Document_ПриобретениеТоваровУслуг"):
        for line in doc["Товары"]:
            net = (kop(line["Сумма"]) - kop(line["СуммаНДС"])) * rate[currencies[doc["Валюта_Key"]]]
            got[series[line["Серия_Key"]]] = (doc["Number"], doc["Date"][:10], f'{line["Количество"]:g}', net,
                                              kop(line["СуммаНДС"]))
    assert got == {
        "L0000001": ("ТИ00-000002", "2025-01-20", "100", d(KA["series"]["L0000001"]["base_cost"]), d("100000.00")),
        "T00001-001": ("ТИ00-000001", "2025-02-13", "1", d(KA["series"]["T00001-001"]["base_cost"]), ZERO),
    }


def test_customs_declaration(src):
    (decl,) = src("Document_ТаможеннаяДекларацияИмпорт")
    (line,) = decl["Товары"]
    (duty,) = KA["customs_duty"]
    assert kop(line["ТаможеннаяСтоимость"]) == d(duty["customs_value"])
    assert Decimal(repr(line["СтавкаПошлины"])) == d(duty["duty_rate_pct"])
    assert kop(line["СуммаПошлины"]) == kop(decl["СуммаПошлины"]) == d(duty["duty"])
    assert kop(line["СуммаНДС"]) == kop(decl["СуммаНДС"]) == d(duty["import_vat"])
    fee = next(a for a in KA["allocations"] if a["cost_type"] == "customs_fee")
    assert kop(decl["ТаможенныйСбор"]) == d(fee["gross"])
    assert decl["Date"][:10] == fee["date"]


def test_additional_cost_documents(src):
    articles = src.names("ChartOfCharacteristicTypes_СтатьиРасходов")
    currencies = src.names("Catalog_Валюты")
    rate = {c: Decimal(v) for c, v in KA["meta"]["rates"].items()} | {"RUB": Decimal(1)}
    got = {}
    for doc in src("Document_ПриобретениеУслугПрочихАктивов"):
        for line in doc["Расходы"]:
            r = rate[currencies[doc["Валюта_Key"]]]
            got[f'ПриобретениеУслугПрочихАктивов {doc["Number"]}'] = (
                doc["Date"][:10], articles[line["СтатьяРасходов_Key"]], kop(line["Сумма"]) * r,
                kop(line["СуммаНДС"]) * r, line["АналитикаРасходов_Type"].removeprefix("StandardODATA.Document_"))
    expected = {a["document"]: (a["date"], a["article"], d(a["gross"]), d(a["vat"]), a["attached_to"].split()[0])
                for a in KA["allocations"] if a["document"].startswith("ПриобретениеУслуг")}
    delivery = KA["deals"]["A"]
    expected["ПриобретениеУслугПрочихАктивов ТИ00-000003"] = (
        "2025-02-14", "Доставка до клиента", d("12000.00"), d("2000.00"), "ЗаказКлиента")
    assert got == expected
    assert d(delivery["direct_costs"]) == d("12000.00") - d("2000.00")


def test_shipments_returns_and_orders(src):
    series = src.names("Catalog_СерииНоменклатуры", "Номер") | {EMPTY: None}
    orders = {r["Ref_Key"]: r["Number"] for r in src("Document_ЗаказКлиента")}
    got = {}
    for doc in src("Document_РеализацияТоваровУслуг"):
        (line,) = doc["Товары"]
        got[f'РеализацияТоваровУслуг {doc["Number"]}'] = (
            doc["Date"][:10], f'ЗаказКлиента {orders[doc["ЗаказКлиента_Key"]]}', series[line["Серия_Key"]],
            f'{line["Количество"]:g}', kop(line["Сумма"]) - kop(line["СуммаНДС"]))
    for doc in src("Document_ВозвратТоваровОтКлиента"):
        (line,) = doc["Товары"]
        got[f'ВозвратТоваровОтКлиента {doc["Number"]}'] = (
            doc["Date"][:10], f'ЗаказКлиента {orders[doc["ЗаказКлиента_Key"]]}', series[line["Серия_Key"]],
            f'{-line["Количество"]:g}', -(kop(line["Сумма"]) - kop(line["СуммаНДС"])))
    expected = {}
    for c in KA["cogs_lines"]:
        if c["kind"] == "late_cost":
            continue
        named = c["series"] if c["resolution"] == "named" else None
        doc = expected.setdefault(c["document"], [c["date"], c["order"], named, Decimal(0), ZERO])
        doc[3] += d(c["quantity"])
        doc[4] += d(c["revenue"])
    assert got == {k: (v[0], v[1], v[2], f"{v[3]:g}", v[4]) for k, v in expected.items()}
    ordered = {o["Number"]: kop(o["СуммаДокумента"]) for o in src("Document_ЗаказКлиента")}
    assert ordered == {"ТИ00-000001": d(KA["deals"]["A"]["ordered_gross"]), "ТИ00-000002": d("960000.00"),
                       "ТИ00-000003": d("720000.00")}


def test_payments_give_the_cash_flow(src):
    articles = src.names("Catalog_СтатьиДвиженияДенежныхСредств")
    currencies = src.names("Catalog_Валюты")
    rate = {c: Decimal(v) for c, v in KA["meta"]["rates"].items()} | {"RUB": Decimal(1)}
    flows: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for entity, side in (("Document_ПоступлениеБезналичныхДенежныхСредств", "inflows"),
                         ("Document_СписаниеБезналичныхДенежныхСредств", "outflows")):
        for doc in src(entity):
            for line in doc["РасшифровкаПлатежа"]:
                amount = kop(line["Сумма"]) * rate[currencies[doc["Валюта_Key"]]]
                flows[(month(doc["Date"]), side, articles[line["СтатьяДвиженияДенежныхСредств_Key"]])] += amount
    expected = {(m, side, article): d(v) for m in MONTHS for side in ("inflows", "outflows")
                for article, v in KA["cashflow"][m][side].items()}
    assert dict(flows) == expected


def test_expense_accruals(src):
    articles = src.names("ChartOfCharacteristicTypes_СтатьиРасходов")
    indirect = {r["Description"] for r in src("ChartOfCharacteristicTypes_СтатьиРасходов") if r["Косвенный"]}
    divisions = src.names("Catalog_Подразделения")
    got: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for doc in src("Document_ПрочиеРасходы"):
        assert articles[doc["СтатьяРасходов_Key"]] in indirect
        for line in doc["Расходы"]:
            got[(month(doc["Date"]), articles[doc["СтатьяРасходов_Key"]], divisions[line["Подразделение_Key"]])] += \
                kop(line["Сумма"])
    expected: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for row in KA["overhead_allocation"]:
        expected[(row["month"], row["article"], row["division"])] += d(row["amount"])
    assert dict(got) == dict(expected)


def test_ad_spend_matches_the_marketing_accrual(src):
    data = json.loads((src.out / "ad_costs" / "costs_2025-01.json").read_text(encoding="utf-8"))["data"]
    spend = sum((Decimal(repr(m["value"])) for row in data for m in row["metrics"]
                 if m["metric_name"] == "marketing_cost"), ZERO)
    assert {row["dimensions"]["marker_level_1"]["value"] for row in data} == {"yandex_direct"}
    assert spend == d(KA["funnel"]["channel_economics"]["yandex_direct"]["spend"])
    assert spend == d(KA["pnl"]["2025-01"]["expenses"]["Реклама и маркетинг"])


def test_contracts(src):
    contracts = {r["Description"].removeprefix("Договор с "): r for r in src("Catalog_ДоговорыКонтрагентов")}
    assert (contracts["ООО «Альфа»"]["Номер"], contracts["ООО «Альфа»"]["СрокОплаты"],
            contracts["ООО «Альфа»"]["ДетализацияРасчетов"]) == ("Д-000018", "30", "ПоЗаказам")
    assert (contracts["ООО «Бета»"]["Номер"], contracts["ООО «Бета»"]["СрокОплаты"],
            contracts["ООО «Бета»"]["ДетализацияРасчетов"]) == ("Д-000019", "14", "ПоДоговорам")
    assert contracts["WAM Maschinenbau GmbH"]["ДетализацияРасчетов"] == "ПоЗаказам"


def test_crm_leads_and_deal_histories(src):
    reasons = src.names("Catalog_CRM_ПричиныОтказа", base="crm")
    states = src.names("Catalog_CRM_СостоянияИнтересов", base="crm")
    deals = {r["Ref_Key"]: r for r in src("Document_CRM_Интерес", "crm")}
    letter = {v["crm_number"]: k for k, v in KA["funnel"]["deals"].items()}
    leads = [{"number": r["Number"], "date": r["Date"][:10], "channel": r["КаналПривлечения"],
              "utm_source": r["ИсточникUTM"], "utm_campaign": r["КампанияUTM"], "line": r["НомерЛинии"],
              "company": r["Компания"], "target": r["Статус"] != "Отклонен", "status": r["Статус"],
              "reject_reason": reasons.get(r["ПричинаОтказа_Key"]),
              "deal": letter[deals[r["Интерес_Key"]]["Number"]] if r["Интерес_Key"] != EMPTY else None}
             for r in sorted(src("Document_CRM_Лид", "crm"), key=lambda r: r["Number"])]
    assert leads == KA["funnel"]["leads"]
    history: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in src("InformationRegister_CRM_ИсторияСостоянийИнтересов", "crm"):
        history[deals[row["Интерес_Key"]]["Number"]].append((row["Period"], states[row["Состояние_Key"]]))
    for key, deal in KA["funnel"]["deals"].items():
        assert [s for _, s in sorted(history[deal["crm_number"]])] == deal["states"], key
        current = next(r for r in deals.values() if r["Number"] == deal["crm_number"])
        assert states[current["Состояние_Key"]] == deal["current_state"]
        assert reasons.get(current["ПричинаПроигрыша_Key"]) == deal["lost_reason"]


# ---------------------------------------------------------------------------------------------------
# (b) the known answers tie among themselves (DOMAIN.md section 4)
# ---------------------------------------------------------------------------------------------------

def test_balance_sheet_balances_every_month():
    for me in MONTH_ENDS:
        b = KA["balance"][me]
        assets, liabilities, equity = (total(b[k].values()) for k in ("assets", "liabilities", "equity"))
        assert assets == d(b["total_assets"]), me
        assert liabilities == d(b["total_liabilities"]), me
        assert equity == d(b["total_equity"]), me
        assert assets == liabilities + equity == d(b["total_liabilities_and_equity"]), me
        for line, parts in b["detail"].items():
            side = "assets" if line in b["assets"] else "liabilities"
            assert total(parts.values()) == d(b[side][line]), (me, line)


def test_cash_flow_rolls_forward_and_ties_to_the_balance_sheet():
    opening = d(KA["cashflow"][MONTHS[0]]["opening"])
    for m, me in zip(MONTHS, MONTH_ENDS, strict=True):
        cf = KA["cashflow"][m]
        assert d(cf["opening"]) == opening, m
        assert total(cf["inflows"].values()) == d(cf["inflows_total"]), m
        assert total(cf["outflows"].values()) == d(cf["outflows_total"]), m
        assert d(cf["inflows_total"]) - d(cf["outflows_total"]) == d(cf["net_flow"]), m
        assert opening + d(cf["net_flow"]) == d(cf["closing"]), m
        assert d(cf["closing"]) == d(KA["balance"][me]["assets"]["cash"]) == d(KA["ledger_balances"][me]["1010"])
        opening = d(cf["closing"])


def test_pnl_adds_up_and_feeds_the_balance_sheet():
    ytd = ZERO
    for m, me in zip(MONTHS, MONTH_ENDS, strict=True):
        p = KA["pnl"][m]
        assert d(p["revenue"]) - d(p["returns"]) == d(p["net_revenue"])
        assert d(p["net_revenue"]) - d(p["cogs"]) == d(p["gross_profit"])
        assert total(p["expenses"].values()) == d(p["expenses_total"]) == d(p["indirect_expenses"]) + d(
            p["direct_costs"])
        assert d(p["gross_profit"]) - d(p["expenses_total"]) == d(p["operating_profit"])
        assert d(p["operating_profit"]) + d(p["other_income"]) - d(p["other_expenses"]) == d(p["profit"])
        assert d(p["indirect_expenses"]) == d(KA["overhead_totals"]["accrued"][m])
        ytd += d(p["profit"])
        assert ytd == d(KA["balance"][me]["equity"]["current_year_profit"]), m
    q = KA["pnl_quarter"]
    for key in ("revenue", "returns", "net_revenue", "cogs", "gross_profit", "expenses_total", "profit"):
        assert total(KA["pnl"][m][key] for m in MONTHS) == d(q[key]), key


def test_ledger_balances_match_the_statements():
    for me in MONTH_ENDS:
        led = {k: d(v) for k, v in KA["ledger_balances"][me].items()}
        b = KA["balance"][me]
        assert sum(led.values(), ZERO) == ZERO, me
        assert led["1200"] == d(b["assets"]["inventory"])
        assert led["1300"] == d(b["assets"]["receivables"]) - d(b["liabilities"]["advances_received"])
        assert led["1400"] == d(b["assets"]["input_vat"])
        assert -led["2100"] == d(b["liabilities"]["payables"]) - d(b["assets"]["advances_paid"])
        assert -led["2200"] == d(b["liabilities"]["other_payables"])
        assert -led["2400"] == d(b["liabilities"]["output_vat"])
        assert -led["3000"] == d(b["equity"]["capital"])
        assert -led["3100"] == d(b["equity"]["retained_earnings"])
        pnl = sum((v for k, v in led.items() if k.startswith("9")), ZERO)
        assert -pnl == d(b["equity"]["current_year_profit"])
        upto = MONTHS[: MONTH_ENDS.index(me) + 1]
        assert -led["9000"] == total(KA["pnl"][m]["revenue"] for m in upto)
        assert led["9010"] == total(KA["pnl"][m]["returns"] for m in upto)
        assert led["9100"] == total(KA["pnl"][m]["cogs"] for m in upto)
        assert led["9200"] == total(KA["pnl"][m]["indirect_expenses"] for m in upto)
        assert led["9210"] == total(KA["pnl"][m]["direct_costs"] for m in upto)


def test_receivables_ageing_ties_to_customer_balances():
    buckets = ("not_due", "d001_030", "d031_060", "d061_090", "d091_180", "d181_plus")
    limits = dict(zip(buckets, ((-100000, 0), (1, 30), (31, 60), (61, 90), (91, 180), (181, 100000)), strict=True))
    for me in MONTH_ENDS:
        a = KA["ageing"][me]
        for item in a["open_items"]:
            lo, hi = limits[item["bucket"]]
            assert lo <= item["days_overdue"] <= hi
            assert item["document_date"] <= me
        assert total(i["open"] for i in a["open_items"]) == d(a["open_total"]) == total(a["buckets"].values())
        assert total(x["amount"] for x in a["advances_received"]) == d(a["advances_total"])
        assert d(a["open_total"]) == d(KA["balance"][me]["assets"]["receivables"])
        assert d(a["advances_total"]) == d(KA["balance"][me]["liabilities"]["advances_received"])
        assert d(a["open_total"]) - d(a["advances_total"]) == d(a["net_customer_balance"]) == d(
            KA["ledger_balances"][me]["1300"])


def test_inventory_is_the_remaining_series_value():
    for me in MONTH_ENDS:
        remaining = total(s["remaining_value"][me] for s in KA["series"].values())
        assert remaining == d(KA["balance"][me]["assets"]["inventory"]), me
        for number, s in KA["series"].items():
            qty = d(s["remaining_quantity"][me])
            value = (qty * d(s["landed_unit_cost"])).quantize(Decimal("0.01"))
            assert d(s["remaining_value"][me]) == value, (me, number)


def test_series_cost_adds_up():
    parts = ("base_cost", "transport", "packaging", "certification", "broker", "customs_fee", "customs_duty")
    for number, s in KA["series"].items():
        assert total(s[p] for p in parts) == d(s["landed_total"]), number
        late = total(c["amount"] for c in s["late_costs"])
        assert d(s["landed_total"]) - late == d(s["landed_total_at_first_shipment"]), number
        assert (d(s["landed_total"]) / d(s["quantity"])).quantize(Decimal("0.000001")) == d(s["landed_unit_cost"])
        for c in s["late_costs"]:
            assert d(c["to_cogs"]) + d(c["to_stock"]) == d(c["amount"])
            assert d(c["to_cogs"]) == (d(c["amount"]) * d(c["shipped_share"])).quantize(Decimal("0.01"))
        # conservation: what came in = what went to cost of goods sold (net of returns) + what is left
        cogs = total(c["cost"] for c in KA["cogs_lines"] if c["series"] == number)
        assert d(s["landed_total"]) == cogs + d(s["remaining_value"][MONTH_ENDS[-1]]), number


def test_allocated_costs_sum_to_their_documents():
    by_type: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for a in KA["allocations"]:
        assert d(a["gross"]) - d(a["vat"]) == d(a["document_net"])
        assert total(a["shares"].values()) == d(a["document_net"]), a["document"]
        for number, amount in a["shares"].items():
            by_type[(number, a["cost_type"])] += d(amount)
    for number, s in KA["series"].items():
        for cost_type in ("transport", "packaging", "certification", "broker", "customs_fee"):
            assert by_type.get((number, cost_type), ZERO) == d(s[cost_type]), (number, cost_type)
    for duty in KA["customs_duty"]:
        assert (d(duty["customs_value"]) * d(duty["duty_rate_pct"]) / 100).quantize(Decimal("0.01")) == d(duty["duty"])
        assert d(KA["series"][duty["series"]]["customs_duty"]) == d(duty["duty"])


def test_overheads_are_allocated_exactly():
    allocated: dict[str, Decimal] = defaultdict(Decimal)
    unallocated: dict[str, Decimal] = defaultdict(Decimal)
    per_line: dict[str, Decimal] = defaultdict(Decimal)
    for row in KA["overhead_allocation"]:
        (allocated if row["target"] else unallocated)[row["month"]] += d(row["amount"])
        if row["target"]:
            per_line[row["target"]] += d(row["amount"])
    o = KA["overhead_totals"]
    for m in MONTHS:
        assert allocated[m] == d(o["allocated"][m]) and unallocated[m] == d(o["unallocated"][m]), m
        assert allocated[m] + unallocated[m] == d(o["accrued"][m]), m
    lines = {f'{c["document"]}/{c["line"]}/{c["series"]}': d(c["overhead"]) for c in KA["cogs_lines"]
             if c["kind"] == "shipment"}
    assert lines == dict(per_line)
    assert sum(lines.values(), ZERO) == d(o["allocated"]["total"])
    assert d(o["unallocated"]["total"]) == d(KA["deal_totals"]["unallocated_overhead"])


def test_cogs_lines_tie_to_the_pnl():
    for m in MONTHS:
        lines = [c for c in KA["cogs_lines"] if c["month"] == m]
        assert total(c["cost"] for c in lines) == d(KA["pnl"][m]["cogs"]), m
        assert total(c["revenue"] for c in lines if c["kind"] == "shipment") == d(KA["pnl"][m]["revenue"]), m
        assert -total(c["revenue"] for c in lines if c["kind"] == "return") == d(KA["pnl"][m]["returns"]), m
    for c in KA["cogs_lines"]:
        if c["unit_cost"] is not None:
            assert (d(c["quantity"]) * d(c["unit_cost"])).quantize(Decimal("0.01")) == d(c["cost"]), c["document"]


def test_deal_margins_tie_to_the_pnl():
    for key, deal in KA["deals"].items():
        lines = [c for c in KA["cogs_lines"] if c["deal"] == key]
        assert total(c["revenue"] for c in lines if c["kind"] == "shipment") == d(deal["revenue"]), key
        assert -total(c["revenue"] for c in lines if c["kind"] == "return") == d(deal["returns"]), key
        assert total(c["cost"] for c in lines) == d(deal["cogs"]), key
        assert total(c["overhead"] for c in lines) == d(deal["overhead"]), key
        assert d(deal["revenue"]) - d(deal["returns"]) == d(deal["net_revenue"]), key
        assert d(deal["net_revenue"]) - d(deal["cogs"]) == d(deal["gross_margin"]), key
        assert d(deal["gross_margin"]) - d(deal["direct_costs"]) == d(deal["contribution"]), key
        assert d(deal["contribution"]) - d(deal["overhead"]) == d(deal["net_margin"]), key
        orders = [o for o in KA["orders"].values() if o["deal"] == key]
        for field in ("revenue", "returns", "cogs", "gross_margin", "direct_costs", "overhead", "net_margin"):
            assert total(o[field] for o in orders) == d(deal[field]), (key, field)
    t = KA["deal_totals"]
    gross = total(deal["gross_margin"] for deal in KA["deals"].values())
    assert gross == d(t["gross_margin_of_deals"])
    assert gross + d(t["gross_margin_without_deal"]) == d(KA["pnl_quarter"]["gross_profit"])
    assert total(KA["pnl"][m]["direct_costs"] for m in MONTHS) == total(x["direct_costs"] for x in KA["deals"].values())
    net = total(deal["net_margin"] for deal in KA["deals"].values())
    assert net == d(t["net_margin_of_deals"])
    assert net - d(t["unallocated_overhead"]) == d(KA["pnl_quarter"]["profit"])


def test_funnel_counts():
    f = KA["funnel"]
    leads, deals = f["leads"], f["deals"]
    assert f["totals"]["leads"] == len(leads)
    assert f["totals"]["target"] == sum(lead["target"] for lead in leads)
    assert f["totals"]["non_target"] == sum(not lead["target"] for lead in leads)
    assert f["totals"]["deals"] == len(deals)
    assert f["totals"]["won"] == sum(x["outcome"] == "won" for x in deals.values())
    assert f["totals"]["lost"] == sum(x["outcome"] == "lost" for x in deals.values())
    for channel, c in f["by_channel"].items():
        mine = [lead for lead in leads if lead["channel"] == channel]
        assert c["leads"] == len(mine) and c["target"] == sum(lead["target"] for lead in mine)
        assert c["deals"] == sum(x["channel"] == channel for x in deals.values())
        assert c["won"] == sum(x["channel"] == channel and x["outcome"] == "won" for x in deals.values())
    order = list(f["reached"])
    for key, deal in deals.items():
        assert deal["state_visits"] == len(deal["states"]), key
        working = [s for s in deal["states"] if s not in ("Успешно", "Потерян")]
        assert deal["furthest_working_state"] == max(working, key=order.index), key
        assert KA["deals"][key]["status"] == deal["outcome"]
    for state, n in f["reached"].items():
        assert n == sum(order.index(x["furthest_state"]) >= order.index(state) for x in deals.values()), state
