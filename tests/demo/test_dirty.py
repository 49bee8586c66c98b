import json

from openpyxl import load_workbook

from ingestion.demo.dirty import FAULTS
from tests.demo.conftest import objects


def manifest(root):
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def test_clean_run_has_no_faults(tiny):
    assert manifest(tiny)["faults"] == []
    for path in (tiny / "onec").glob("*/Document_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)  # no truncated line
            assert obj.get("Date") != "0001-01-01T00:00:00"
            assert all(row.get("Количество", 1) > 0 for row in obj.get("Товары", []))
    for path in (tiny / "mango").glob("*.csv"):
        assert all(row.count(";") == 11 for row in path.read_text(encoding="utf-8").splitlines())
    for path in (tiny / "supplier_invoices").glob("*.xlsx"):
        assert "Gross Weight kg" in [c.value for c in load_workbook(path).active[5]]
    numbers = [(d["Number"], d["Date"]) for d in objects(tiny, "trade", "Document_РеализацияТоваровУслуг").values()]
    assert len(numbers) == len(set(numbers))


def test_every_fault_is_injected_where_the_manifest_says(tiny_dirty):
    faults = {f["fault"]: f for f in manifest(tiny_dirty)["faults"]}
    assert set(faults) == {code for code, _ in FAULTS}
    root = tiny_dirty

    dup = faults["duplicate_document"]
    shipments = objects(root, "trade", "Document_РеализацияТоваровУслуг")
    a, b = shipments[dup["ref_key"]], shipments[dup["duplicate_of"]]
    assert (a["Number"], a["Date"]) == (b["Number"], b["Date"])

    missing = faults["missing_catalog_reference"]
    items = objects(root, "trade", "Catalog_Номенклатура")
    order = objects(root, "trade", "Document_ЗаказКлиента")[missing["ref_key"]]
    assert order["Товары"][0]["Номенклатура_Key"] == missing["missing_key"] not in items

    empty = faults["empty_required_date"]
    payment = objects(root, "trade", "Document_ПоступлениеБезналичныхДенежныхСредств")[empty["ref_key"]]
    assert payment["Date"] == "0001-01-01T00:00:00"

    negative = faults["negative_quantity"]
    assert shipments[negative["ref_key"]]["Товары"][0]["Количество"] < 0

    csv = faults["malformed_csv_line"]
    row = (root / csv["file"]).read_text(encoding="utf-8").splitlines()[csv["line"] - 1]
    assert row.count(";") != 11

    xlsx = faults["renamed_xlsx_column"]
    header = [c.value for c in load_workbook(root / xlsx["file"]).active[5]]
    assert "Brutto kg" in header and "Gross Weight kg" not in header

    cut = faults["truncated_json_line"]
    broken = (root / cut["file"]).read_text(encoding="utf-8").splitlines()[cut["line"] - 1]
    try:
        json.loads(broken)
    except json.JSONDecodeError:
        pass
    else:
        raise AssertionError("the truncated line still parses")
