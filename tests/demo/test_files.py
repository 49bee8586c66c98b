"""The non-1C outputs: ad costs, supplier invoices, budget, manifest."""

import json
from collections import defaultdict

from openpyxl import load_workbook

from ingestion.demo.budget import MONTH_NAMES
from ingestion.demo.company import CASH_ARTICLES
from ingestion.demo.supplier_invoices import COLUMNS, HEADER_ROWS
from tests.demo.conftest import objects


def test_marketing_accruals_equal_the_ad_spend(tiny):
    spend = defaultdict(float)
    for path in sorted((tiny / "ad_costs").glob("costs_*.json")):
        export = json.loads(path.read_text(encoding="utf-8"))
        assert export["status"] == "success"
        for row in export["data"]:
            assert set(row["dimensions"]) == {"daily", "marker_level_1", "marker_level_2"}
            cost = {m["metric_name"]: m["value"] for m in row["metrics"]}["marketing_cost"]
            spend[row["dimensions"]["daily"]["value"][:7]] += cost
    articles = {a["Ref_Key"]: a["Description"] for a in
                objects(tiny, "trade", "ChartOfCharacteristicTypes_СтатьиРасходов").values()}
    accruals = objects(tiny, "trade", "Document_ПрочиеРасходы").values()
    accrued = {d["ПериодНачисления"][:7]: d["СуммаДокумента"] for d in accruals
               if articles[d["СтатьяРасходов_Key"]] == "Реклама и маркетинг"}
    assert accrued and all(abs(accrued[m] - round(spend[m], 2)) < 0.01 for m in accrued)


def test_supplier_invoices_match_their_truck_loads(tiny):
    trucks = {t["Товары"][0]["НомерИнвойса"]: t for t in objects(tiny, "trade", "Document_ТоварВМашине").values()}
    paths = sorted((tiny / "supplier_invoices").glob("*.xlsx"))
    assert paths and len(paths) == len(trucks)
    for path in paths:
        rows = list(load_workbook(path).active.iter_rows(values_only=True))
        assert rows[HEADER_ROWS] == COLUMNS
        truck = trucks[path.stem]
        lines = rows[HEADER_ROWS + 1:]
        assert [r[5] for r in lines] == [x["Количество"] for x in truck["Товары"]]
        assert [r[9] for r in lines] == [x["ВесБрутто"] for x in truck["Товары"]]
        assert round(sum(r[8] for r in lines), 2) == truck["СуммаДокумента"]


def test_budget_has_articles_by_months(tiny):
    for year in (2025, 2026):
        wb = load_workbook(tiny / "budget" / f"budget_{year}.xlsx")
        assert wb.sheetnames == ["БДДС", "БДР"]
        cash = list(wb["БДДС"].iter_rows(values_only=True))
        assert cash[0] == ("Статья", "Раздел", *(f"{m} {year}" for m in MONTH_NAMES), "Итого")
        assert [r[0] for r in cash[1:]] == [name for _, name, _, _ in CASH_ARTICLES]
        for row in cash[1:] + list(wb["БДР"].iter_rows(values_only=True))[1:]:
            assert row[-1] == sum(row[2:-1])


def test_manifest_lists_every_file(tiny):
    manifest = json.loads((tiny / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"] for f in manifest["files"]}
    on_disk = {p.relative_to(tiny).as_posix() for p in tiny.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == on_disk
    assert (manifest["scale"], manifest["period_start"], manifest["today"]) == ("tiny", "2025-10-01", "2026-01-31")


def test_plan_is_the_actual_within_the_noise_in_roubles():
    """Actuals are kopecks; the plan is roubles rounded to thousands, within ±13 % of the actual, and months
    not lived yet take the run rate of the last three lived months (here the one lived month)."""
    import random

    from ingestion.demo.budget import NOISE, plan_row

    row = plan_row(random.Random(1), {("rent", "2025-01"): 300_000_00}, "rent", 2025, "2025-01")
    assert len(row) == 12
    for planned in row:
        assert planned % 1000 == 0
        assert 300_000 * (1 - NOISE) - 500 <= planned <= 300_000 * (1 + NOISE) + 500
