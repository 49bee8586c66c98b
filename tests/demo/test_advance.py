import json
import shutil

from ingestion.demo.advance import advance


def journal(root, base):
    return [json.loads(line) for line in (root / "onec" / base / "_journal.jsonl").read_text().splitlines()]


def test_advance_adds_new_documents_reposts_and_deletion_marks(tiny, tmp_path):
    data = tmp_path / "company"
    shutil.copytree(tiny, data)
    before = {base: len(journal(data, base)) for base in ("trade", "crm")}
    manifest = advance(data, days=5)
    assert manifest["today"] == "2026-02-05"
    trade_new = journal(data, "trade")[before["trade"]:]
    crm_new = journal(data, "crm")[before["crm"]:]
    assert [seq for seq, _, _ in trade_new] == list(range(before["trade"] + 1, before["trade"] + 1 + len(trade_new)))
    changes = manifest["advances"][-1]
    reposted = {key for _, entity, key in trade_new if entity == "Document_РеализацияТоваровУслуг"}
    assert set(changes["reposted"]) <= reposted
    assert set(changes["deletion_marked"]) <= {key for _, _, key in crm_new}
    shipments = (data / "onec" / "trade" / "Document_РеализацияТоваровУслуг.jsonl").read_text().splitlines()
    new_dates = [json.loads(line)["Date"] for line in shipments[-len(reposted):]]
    assert min(new_dates) < "2026-01-01"  # back-dated re-posts into a closed month
    leads_file = data / "onec" / "crm" / "Document_CRM_Лид.jsonl"
    new_leads = [json.loads(line) for line in leads_file.read_text().splitlines()]
    assert any(lead["Date"] > "2026-01-31T23:59:59" for lead in new_leads)
    # the replayed days were not written twice: no lead or shipment written before is written again
    for base, entity in (("crm", "Document_CRM_Лид"), ("trade", "Document_ЗаказКлиента")):
        old = {key for _, e, key in journal(tiny, base) if e == entity}
        new = {key for _, e, key in (trade_new if base == "trade" else crm_new) if e == entity}
        assert new and not old & new


def test_advance_is_deterministic_and_can_delete(tiny, tmp_path):
    results = []
    for name in ("a", "b"):
        data = tmp_path / name
        shutil.copytree(tiny, data)
        for _ in range(4):
            advance(data, days=2)
        results.append((data / "onec" / "trade" / "_journal.jsonl").read_bytes())
    assert results[0] == results[1]
    deletions = [line for line in (tmp_path / "a" / "onec" / "trade" /
                                   "Document_ПоступлениеБезналичныхДенежныхСредств.jsonl").read_text().splitlines()
                 if '"@deleted"' in line]
    assert deletions
