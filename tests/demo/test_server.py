"""The demo 1C OData server through a real HTTP client, over small stores written with StoreWriter."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from lxml import etree

from ingestion.demo.exchange import PLAN_NAME
from ingestion.demo.server import start_server
from ingestion.demo.store import StoreWriter
from ingestion.onec.entities import ENTITY_SETS, entity_set

SHIPMENT = "Document_РеализацияТоваровУслуг"
LINES = f"{SHIPMENT}_Товары"
RATES = "InformationRegister_КурсыВалют"
COUNTERPARTIES = "Catalog_Контрагенты"
USER, PASSWORD = "odata", "secret"
NS = {
    "a": "http://www.w3.org/2005/Atom",
    "d": "http://schemas.microsoft.com/ado/2007/08/dataservices",
    "m": "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata",
    "at": "http://purl.org/atompub/tombstones/1.0",
    "edm": "http://schemas.microsoft.com/ado/2009/11/edm",
}


# --- fixture stores -----------------------------------------------------------------------------


def guid(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_OID, "/".join(map(str, parts))))


def value_for(edm: str, name: str, i: int) -> object:
    """A plausible value of a registered field, so fixtures follow the registry as it grows."""
    if edm == "Edm.Guid":
        return guid(name, i % 3)
    if edm == "Edm.DateTime":
        return (datetime(2024, 1, 1, 10) + timedelta(days=i)).isoformat()
    if edm == "Edm.Double":
        return round(i * 1.5, 2)
    if edm == "Edm.Int64":
        return i
    if edm == "Edm.Boolean":
        return i % 2 == 0
    return f"{name} №{i}"


def make_object(entity_name: str, i: int, lines: int = 0, **overrides: object) -> dict:
    es = entity_set(entity_name)
    obj = {f.name: value_for(f.edm, f.name, i) for f in es.fields}
    obj["Ref_Key"] = guid(entity_name, i) if "Ref_Key" in obj else None
    obj = {k: v for k, v in obj.items() if v is not None}
    for s in es.sections:
        obj[s.name] = [{"LineNumber": str(j + 1), **{f.name: value_for(f.edm, f.name, i * 10 + j) for f in s.fields}}
                       for j in range(lines)]
    obj.update(overrides)
    return obj


def shipment(i: int, **overrides: object) -> dict:
    fields = {"Posted": i % 3 != 0, "DeletionMark": i % 7 == 0, "Number": f"РТУ-{i:05d}", **overrides}
    return make_object(SHIPMENT, i, lines=i % 5, **fields)


def build_trade_store(root: Path) -> dict[str, dict]:
    """30 shipments (2 re-written, 1 deleted), rates and counterparties; returns the expected current shipments."""
    expected: dict[str, dict] = {}
    with StoreWriter(root, "trade") as w:
        for i in range(30):
            obj = shipment(i)
            w.put(SHIPMENT, obj)
            expected[obj["Ref_Key"]] = obj
        for i in (3, 4):  # re-posted back-dated with other lines: the later line supersedes
            obj = shipment(i, Number=f"РТУ-{i:05d}-2", Date="2023-12-31T09:00:00", Posted=True)
            obj["Товары"] = obj["Товары"] + [dict(obj["Товары"][0], LineNumber=str(len(obj["Товары"]) + 1))] \
                if obj["Товары"] else []
            w.put(SHIPMENT, obj)
            expected[obj["Ref_Key"]] = obj
        gone = shipment(5)["Ref_Key"]
        w.delete(SHIPMENT, {"Ref_Key": gone})
        del expected[gone]
        for day in range(3):
            for cur in ("EUR", "CNY"):
                w.put(RATES, make_object(RATES, day, Period=f"2024-01-0{day + 1}T00:00:00", Валюта_Key=guid("cur", cur),
                                         Курс=90.0 + day + (cur == "CNY")))
        for i in range(4):
            w.put(COUNTERPARTIES, make_object(COUNTERPARTIES, i, Description=f"ООО «Ромашка {i}»"))
    return expected


@pytest.fixture(scope="module")
def trade(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    expected = build_trade_store(root)
    server, url = start_server(root, port=0, user=USER, password=PASSWORD)
    with httpx.Client(base_url=url + "trade/odata/standard.odata/", auth=(USER, PASSWORD), timeout=10) as client:
        yield client, expected, root
    server.close()


@pytest.fixture
def live(tmp_path):
    """A server over a fresh store that the test keeps writing to; packets of 4 objects."""
    with StoreWriter(tmp_path, "trade") as w:
        for i in range(10):
            w.put(SHIPMENT, shipment(i))
    server, url = start_server(tmp_path, port=0, user=USER, password=PASSWORD, packet_size=4)
    odata = url + "trade/odata/standard.odata/"
    with httpx.Client(base_url=odata, auth=(USER, PASSWORD), timeout=10) as client:
        yield client, tmp_path, odata
    server.close()


def get_json(client: httpx.Client, resource: str, **params: object) -> dict:
    r = client.get(resource, params={"$format": "json", **params})
    assert r.status_code == 200, r.text
    return r.json()


def values(client: httpx.Client, resource: str, **params: object) -> list[dict]:
    return get_json(client, resource, **params)["value"]


# --- reading entity sets ------------------------------------------------------------------------


def test_envelope_and_full_objects_as_stored(trade):
    client, expected, _ = trade
    body = get_json(client, SHIPMENT)
    assert body["odata.metadata"].endswith(f"/trade/odata/standard.odata/$metadata#{SHIPMENT}")
    assert "odata.nextLink" not in body
    assert {o["Ref_Key"]: o for o in body["value"]} == expected  # superseded lines replaced, deleted one gone
    assert [o["Ref_Key"] for o in body["value"]] == list(expected)  # first-appearance order without $orderby


def test_paging_covers_every_row_exactly_once(trade):
    client, expected, _ = trade
    seen: list[dict] = []
    skip = 0
    while True:
        page = values(client, SHIPMENT, **{"$top": 7, "$skip": skip, "$orderby": "Date desc,Ref_Key"})
        seen += page
        if len(page) < 7:
            break
        skip += 7
    assert sorted(o["Ref_Key"] for o in seen) == sorted(expected)
    assert [(o["Date"], o["Ref_Key"]) for o in seen] == sorted(((o["Date"], o["Ref_Key"]) for o in seen),
                                                                 key=lambda t: (-datetime.fromisoformat(t[0])
                                                                                .timestamp(), t[1]))
    assert values(client, SHIPMENT, **{"$top": 5, "$skip": 1000}) == []
    assert values(client, SHIPMENT, **{"$top": 0}) == []


OPERATORS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "gt": lambda a, b: a > b,
             "ge": lambda a, b: a >= b, "lt": lambda a, b: a < b, "le": lambda a, b: a <= b}


@pytest.mark.parametrize("op", list(OPERATORS))
def test_filter_on_date_every_operator(trade, op):
    client, expected, _ = trade
    pivot = shipment(12)["Date"]
    got = values(client, SHIPMENT, **{"$filter": f"Date {op} datetime'{pivot}'", "$select": "Ref_Key"})
    want = [r for r, o in expected.items() if OPERATORS[op](o["Date"], pivot)]
    assert sorted(o["Ref_Key"] for o in got) == sorted(want)
    assert want  # the pivot splits the data


@pytest.mark.parametrize("op", ["eq", "ne"])
@pytest.mark.parametrize("field", ["Posted", "DeletionMark"])
def test_filter_on_booleans(trade, field, op):
    client, expected, _ = trade
    got = values(client, SHIPMENT, **{"$filter": f"{field} {op} true", "$select": f"Ref_Key,{field}"})
    want = [r for r, o in expected.items() if OPERATORS[op](o[field], True)]
    assert sorted(o["Ref_Key"] for o in got) == sorted(want) and want
    assert all(set(o) == {"Ref_Key", field} for o in got)


@pytest.mark.parametrize("op", list(OPERATORS))
def test_filter_on_ref_key_every_operator(trade, op):
    client, expected, _ = trade
    pivot = sorted(expected)[10]
    got = values(client, SHIPMENT, **{"$filter": f"Ref_Key {op} guid'{pivot.upper()}'"})
    want = [r for r in expected if OPERATORS[op](r, pivot)]
    assert sorted(o["Ref_Key"] for o in got) == sorted(want)


def test_filter_and_or_not_parentheses_and_other_fields(trade):
    client, expected, _ = trade
    lo, hi = shipment(5)["Date"], shipment(20)["Date"]
    got = values(client, SHIPMENT, **{
        "$filter": f"Date ge datetime'{lo}' and Date lt datetime'{hi}' and Posted eq true and DeletionMark eq false"})
    want = [r for r, o in expected.items() if lo <= o["Date"] < hi and o["Posted"] and not o["DeletionMark"]]
    assert sorted(o["Ref_Key"] for o in got) == sorted(want) and want

    got = values(client, SHIPMENT, **{"$filter": "(Number eq 'РТУ-00001' or Number eq 'РТУ-00002') and not Posted"})
    assert [o["Number"] for o in got] == []  # both are posted
    got = values(client, SHIPMENT, **{"$filter": "Number eq 'РТУ-00001' or (Number eq 'РТУ-00003-2')"})
    assert sorted(o["Number"] for o in got) == ["РТУ-00001", "РТУ-00003-2"]
    got = values(client, SHIPMENT, **{"$filter": "СуммаДокумента gt 30.5 and СуммаДокумента le 36"})
    assert sorted(o["СуммаДокумента"] for o in got) == sorted(o["СуммаДокумента"] for o in expected.values()
                                                             if 30.5 < o["СуммаДокумента"] <= 36)
    some = sorted(expected)[::4]
    by_keys = " or ".join(f"Ref_Key eq guid'{k}'" for k in [*some, guid("absent")])
    assert sorted(o["Ref_Key"] for o in values(client, SHIPMENT, **{"$filter": by_keys})) == some
    got = values(client, SHIPMENT, **{"$filter": f"({by_keys}) and Posted eq false"})
    assert sorted(o["Ref_Key"] for o in got) == [k for k in some if not expected[k]["Posted"]]
    assert values(client, SHIPMENT, **{"$filter": "Date ge datetime'2024-01-29'"}) == [
        o for o in expected.values() if o["Date"] >= "2024-01-29"]


def test_select_keeps_section_arrays(trade):
    client, expected, _ = trade
    got = values(client, SHIPMENT, **{"$select": "Товары,Ref_Key,Date", "$orderby": "Ref_Key"})
    assert [list(o) for o in got] == [["Ref_Key", "Date", "Товары"]] * len(expected)
    assert {o["Ref_Key"]: o["Товары"] for o in got} == {r: o["Товары"] for r, o in expected.items()}
    body = get_json(client, SHIPMENT, **{"$select": "Ref_Key,DataVersion,DeletionMark,Posted"})
    assert all(set(o) == {"Ref_Key", "DataVersion", "DeletionMark", "Posted"} for o in body["value"])


def test_tabular_section_set_rows(trade):
    client, expected, _ = trade
    want = [(r, str(j + 1), line) for r, o in expected.items() for j, line in enumerate(o["Товары"])]
    rows = values(client, LINES)
    assert len(rows) == len(want) > 0
    assert {(row["Ref_Key"], row["LineNumber"]) for row in rows} == {(r, n) for r, n, _ in want}
    assert all(list(row)[:2] == ["Ref_Key", "LineNumber"] for row in rows)
    by_key = {(r, n): line for r, n, line in want}
    assert all({k: v for k, v in row.items() if k != "Ref_Key"} == by_key[row["Ref_Key"], row["LineNumber"]]
               for row in rows)

    paged, skip = [], 0  # paging over rows with the key order
    while page := values(client, LINES, **{"$top": 4, "$skip": skip, "$orderby": "Ref_Key desc,LineNumber"}):
        paged += page
        skip += 4
    assert [(r["Ref_Key"], int(r["LineNumber"])) for r in paged] == sorted(
        ((r, int(n)) for r, n, _ in want), key=lambda t: (t[0], -t[1]), reverse=True)

    some_doc = next(r for r, n, _ in want if n == "3")
    one = values(client, LINES, **{"$filter": f"Ref_Key eq guid'{some_doc}'", "$select": "LineNumber,Количество"})
    assert [list(r) for r in one] == [["LineNumber", "Количество"]] * len(expected[some_doc]["Товары"])

    big = values(client, LINES, **{"$filter": "Количество ge 30 and LineNumber gt 1", "$orderby": "Количество desc"})
    assert [r["Количество"] for r in big] == sorted(
        (line["Количество"] for r, n, line in want if line["Количество"] >= 30 and int(n) > 1), reverse=True)
    posted = values(client, LINES, **{"$filter": "Ref/Posted eq true and Ref/Date lt datetime'2024-01-15'"})
    assert len(posted) == sum(1 for r, _, _ in want if expected[r]["Posted"] and expected[r]["Date"] < "2024-01-15")


def test_single_object_by_key(trade):
    client, expected, _ = trade
    ref = shipment(3)["Ref_Key"]
    body = get_json(client, f"{SHIPMENT}(guid'{ref}')")
    assert body.pop("odata.metadata").endswith(f"$metadata#{SHIPMENT}/@Element")
    assert body == expected[ref]
    rate = get_json(client, f"{RATES}(Period=datetime'2024-01-02T00:00:00',Валюта_Key=guid'{guid('cur', 'CNY')}')")
    assert rate["Курс"] == 92.0
    line = get_json(client, f"{LINES}(Ref_Key=guid'{ref}',LineNumber=2)")
    assert line["Ref_Key"] == ref and line["LineNumber"] == "2"
    for missing in (f"{SHIPMENT}(guid'{shipment(5)['Ref_Key']}')", f"{SHIPMENT}(guid'{guid('nothing')}')",
                    f"{LINES}(Ref_Key=guid'{ref}',LineNumber=99)"):
        r = client.get(missing, params={"$format": "json"})
        assert r.status_code == 404 and r.json()["odata.error"]["message"]["lang"] == "ru"


def test_percent_encoded_cyrillic_names(trade):
    client, expected, _ = trade
    target = guid("Контрагент_Key", 1)
    raw = (f"{quote(SHIPMENT)}?%24format=json&%24filter="
           + quote(f"Контрагент_Key eq guid'{target}' and Number ne 'РТУ-00001'") + "&%24orderby=" + quote("Ref_Key"))
    assert "%D0" in raw
    r = client.get(raw)
    assert r.status_code == 200, r.text
    want = sorted(rf for rf, o in expected.items() if o["Контрагент_Key"] == target and o["Number"] != "РТУ-00001")
    assert [o["Ref_Key"] for o in r.json()["value"]] == want and want
    described = values(client, quote(COUNTERPARTIES), **{"$filter": "Description eq 'ООО «Ромашка 2»'"})
    assert [c["Description"] for c in described] == ["ООО «Ромашка 2»"]


def test_count_and_inlinecount(trade):
    client, expected, _ = trade
    body = get_json(client, SHIPMENT, **{"$inlinecount": "allpages", "$top": 3})
    assert body["odata.count"] == str(len(expected)) and len(body["value"]) == 3
    assert client.get(f"{SHIPMENT}/$count").text == str(len(expected))


def test_atom_when_json_is_not_asked_and_accept_header(trade):
    client, expected, _ = trade
    r = client.get(SHIPMENT, params={"$top": 2})
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(r.content)
    assert len(feed.findall("a:entry", NS)) == 2
    assert feed.find("a:entry/a:category", NS).get("term") == f"StandardODATA.{SHIPMENT}"
    r = client.get(SHIPMENT, params={"$top": 2}, headers={"Accept": "application/json"})
    assert len(r.json()["value"]) == 2


# --- auth and errors ----------------------------------------------------------------------------


def test_basic_auth_required(trade):
    client, _, _ = trade
    for auth in (None, (USER, "wrong"), ("someone", PASSWORD)):
        r = httpx.get(str(client.base_url) + SHIPMENT, params={"$format": "json"}, auth=auth)
        assert r.status_code == 401
        assert r.headers["www-authenticate"].startswith("Basic")
    assert httpx.get(str(client.base_url) + "$metadata").status_code == 401


def assert_error(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["odata.error"]
    assert set(err) == {"code", "message"} and isinstance(err["code"], str)
    assert set(err["message"]) == {"lang", "value"} and err["message"]["lang"] == "ru" and err["message"]["value"]
    return err


def test_error_shapes(trade):
    client, _, _ = trade
    assert_error(client.get("Catalog_НетТакого", params={"$format": "json"}), 404)
    assert_error(client.get("Document_ЗаказКлиента_Нет", params={"$format": "json"}), 404)
    root = str(client.base_url).replace("/trade/", "/nosuchbase/")
    assert httpx.get(root + SHIPMENT, auth=(USER, PASSWORD)).status_code == 404
    for bad in ("Date ge 2024-01-01", "Date ge '2024-01-01'", "Posted eq 1", "Ref_Key eq 'x'", "Нет eq true",
                "Date ge datetime'2024-01-01T00:00:00' and", "(Posted eq true", "Товары eq 1", "Date gt guid'x'"):
        err = assert_error(client.get(SHIPMENT, params={"$format": "json", "$filter": bad}), 400)
        assert err["message"]["value"]
    assert_error(client.get(SHIPMENT, params={"$format": "json", "$top": "-1"}), 400)
    assert_error(client.get(SHIPMENT, params={"$format": "json", "$orderby": "Нет desc"}), 400)
    assert_error(client.get(SHIPMENT, params={"$format": "json", "$select": "Ref_Key,Нет"}), 400)
    xml = client.get("Catalog_НетТакого")
    assert xml.status_code == 404 and etree.fromstring(xml.content).find("m:code", NS) is not None


def test_metadata_lists_every_entity_and_section_set(trade):
    client, _, _ = trade
    root_url = str(client.base_url)
    for base in ("trade", "crm"):
        r = client.get(root_url.replace("/trade/", f"/{base}/") + "$metadata")
        doc = etree.fromstring(r.content)
        sets = {e.get("Name"): e.get("EntityType") for e in doc.iterfind(".//edm:EntityContainer/edm:EntitySet", NS)}
        types = {e.get("Name"): e for e in doc.iterfind(".//edm:EntityType", NS)}
        for es in ENTITY_SETS.values():
            if es.base != base:
                assert es.name not in sets
                continue
            assert sets[es.name] == f"StandardODATA.{es.name}"
            assert [p.get("Name") for p in types[es.name].iterfind("edm:Key/edm:PropertyRef", NS)] == list(es.key)
            props = {p.get("Name"): p.get("Type") for p in types[es.name].iterfind("edm:Property", NS)}
            assert {f.name: f.edm for f in es.fields}.items() <= props.items()
            for s in es.sections:
                name = f"{es.name}_{s.name}"
                assert sets[name] == f"StandardODATA.{name}"
                assert props[s.name] == f"Collection(StandardODATA.{name}_RowType)"
                keys = [p.get("Name") for p in types[name].iterfind("edm:Key/edm:PropertyRef", NS)]
                assert keys == ["Ref_Key", "LineNumber"]
        assert sets[PLAN_NAME] == f"StandardODATA.{PLAN_NAME}"
    service = get_json(client, "")
    assert LINES in {c["name"] for c in service["value"]}


# --- a store that changes while the server runs ---------------------------------------------------


def test_writes_appended_while_serving_are_visible(live):
    client, root, _ = live
    assert len(values(client, SHIPMENT)) == 10
    with StoreWriter(root, "trade") as w:
        w.put(SHIPMENT, shipment(50))
        w.put(SHIPMENT, shipment(1, Number="changed"))
        w.delete(SHIPMENT, {"Ref_Key": shipment(2)["Ref_Key"]})
    got = {o["Ref_Key"]: o for o in values(client, SHIPMENT)}
    assert len(got) == 10 and shipment(50)["Ref_Key"] in got and shipment(2)["Ref_Key"] not in got
    assert got[shipment(1)["Ref_Key"]]["Number"] == "changed"
    assert len(values(client, SHIPMENT, **{"$filter": "Number eq 'changed'"})) == 1


def test_truncated_line_is_served_broken_and_the_server_survives(live):
    client, root, _ = live
    line = json.dumps(shipment(60), ensure_ascii=False, separators=(",", ":"))
    with open(root / "onec" / "trade" / f"{SHIPMENT}.jsonl", "a", encoding="utf-8") as f:
        f.write(line[: len(line) // 2] + "\n")
    r = client.get(SHIPMENT, params={"$format": "json"})
    assert r.status_code == 200
    with pytest.raises(ValueError):
        json.loads(r.text)
    assert line[: len(line) // 2] in r.text
    # its key and date were salvaged: a window that excludes it still gives valid pages
    ok = values(client, SHIPMENT, **{"$filter": f"Date lt datetime'{shipment(60)['Date']}'"})
    assert len(ok) == 10
    assert client.get(LINES, params={"$format": "json", "$top": 1}).json()["value"]


# --- exchange plan ------------------------------------------------------------------------------


def dwh_point(client: httpx.Client, odata: str) -> tuple[str, dict]:
    nodes = values(client, PLAN_NAME)
    assert {n["Code"] for n in nodes} == {"ЦБ", "DWH"}
    assert [n["ThisNode"] for n in nodes if n["Code"] == "ЦБ"] == [True]
    node = next(n for n in nodes if n["Code"] == "DWH")
    return f"'{odata}{PLAN_NAME}(guid'{node['Ref_Key']}')'", node


def select_changes(client: httpx.Client, point: str, message_no: int) -> etree._Element:
    r = client.post("SelectChanges", params={"DataExchangePoint": point, "MessageNo": message_no})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/atom+xml")
    return etree.fromstring(r.content)


def notify(client: httpx.Client, point: str, message_no: int) -> None:
    r = client.post("NotifyChangesReceived", params={"DataExchangePoint": point, "MessageNo": message_no})
    assert r.status_code in (200, 204), r.text


def entries(feed: etree._Element) -> list[tuple[str, str]]:
    out = []
    for e in feed.findall("a:entry", NS):
        out.append((e.find("a:category", NS).get("term"), e.find("a:content/m:properties/d:Ref_Key", NS).text))
    return out


def test_select_changes_repeats_until_confirmed_then_moves_on(live):
    client, root, odata = live
    point, node = dwh_point(client, odata)
    assert node["SentNo"] == "0" and node["ReceivedNo"] == "0"

    first = select_changes(client, point, 1)
    got = entries(first)
    assert got == [(f"StandardODATA.{SHIPMENT}", shipment(i)["Ref_Key"]) for i in range(4)]
    props = first.find("a:entry/a:content/m:properties", NS)
    assert props.find("d:Date", NS).get(f"{{{NS['m']}}}type") == "Edm.DateTime"
    doc3 = first.findall("a:entry", NS)[3].find("a:content/m:properties", NS)
    lines = doc3.find("d:Товары", NS).findall("d:element", NS)
    assert len(lines) == 3 and lines[0].find("d:LineNumber", NS).text == "1"
    assert lines[0].find("d:Количество", NS).get(f"{{{NS['m']}}}type") == "Edm.Double"

    assert entries(select_changes(client, point, 1)) == got  # not confirmed: the same packet again
    _, node = dwh_point(client, odata)
    assert node["SentNo"] == "1" and node["ReceivedNo"] == "0"
    notify(client, point, 1)
    _, node = dwh_point(client, odata)
    assert node["ReceivedNo"] == "1"

    second = entries(select_changes(client, point, 2))
    assert second == [(f"StandardODATA.{SHIPMENT}", shipment(i)["Ref_Key"]) for i in range(4, 8)]
    notify(client, point, 2)
    assert len(entries(select_changes(client, point, 3))) == 2
    notify(client, point, 3)
    assert entries(select_changes(client, point, 4)) == []  # nothing new; an empty message needs no confirmation

    with StoreWriter(root, "trade") as w:  # the company lives on
        w.put(SHIPMENT, shipment(1, Number="re-posted"))
        w.put(SHIPMENT, shipment(70))
        w.delete(SHIPMENT, {"Ref_Key": shipment(2)["Ref_Key"]})
    feed = select_changes(client, point, 4)
    assert entries(feed) == [(f"StandardODATA.{SHIPMENT}", shipment(1)["Ref_Key"]),
                             (f"StandardODATA.{SHIPMENT}", shipment(70)["Ref_Key"])]
    assert feed.find("a:entry/a:content/m:properties/d:Number", NS).text == "re-posted"
    tombstones = feed.findall("at:deleted-entry", NS)
    assert len(tombstones) == 1
    assert tombstones[0].get("ref").endswith(f"{SHIPMENT}(guid'{shipment(2)['Ref_Key']}')")
    assert tombstones[0].find("a:category", NS).get("term") == f"StandardODATA.{SHIPMENT}"
    assert tombstones[0].find("m:properties/d:Ref_Key", NS).text == shipment(2)["Ref_Key"]
    notify(client, point, 4)
    assert entries(select_changes(client, point, 5)) == []
    _, node = dwh_point(client, odata)
    assert node["ReceivedNo"] == "4"


def test_exchange_state_survives_a_restart_and_rejects_bad_points(live):
    client, root, odata = live
    point, _ = dwh_point(client, odata)
    select_changes(client, point, 1)
    notify(client, point, 1)
    server, url = start_server(root, port=0, user=USER, password=PASSWORD, packet_size=4)
    try:
        with httpx.Client(base_url=url + "trade/odata/standard.odata/", auth=(USER, PASSWORD)) as other:
            again = entries(select_changes(other, point.replace(odata, url + "trade/odata/standard.odata/"), 2))
            assert again == [(f"StandardODATA.{SHIPMENT}", shipment(i)["Ref_Key"]) for i in range(4, 8)]
    finally:
        server.close()
    this_node = next(n for n in values(client, PLAN_NAME) if n["ThisNode"])["Ref_Key"]
    bad = client.post("SelectChanges", params={"$format": "json", "MessageNo": 1,
                                               "DataExchangePoint": f"'{odata}{PLAN_NAME}(guid'{this_node}')'"})
    assert_error(bad, 400)
    missing = client.post("SelectChanges", params={"$format": "json", "MessageNo": 1,
                                                   "DataExchangePoint": f"'{odata}{PLAN_NAME}(guid'{guid('x')}')'"})
    assert_error(missing, 404)
    assert_error(client.post("SelectChanges", params={"$format": "json", "MessageNo": 1}), 400)
    assert_error(client.get("SelectChanges", params={"$format": "json"}), 405)


def test_feed_waits_for_objects_a_writer_has_not_flushed_yet(live):
    client, root, odata = live
    point, _ = dwh_point(client, odata)
    for no in (1, 2, 3):  # drain the 10 objects written so far
        select_changes(client, point, no)
        notify(client, point, no)
    store = root / "onec" / "trade"
    early = shipment(80)
    with open(store / "_journal.jsonl", "a", encoding="utf-8") as journal:  # journal flushed, object not yet
        journal.write(json.dumps([11, SHIPMENT, early["Ref_Key"]]) + "\n")
    assert entries(select_changes(client, point, 4)) == []
    with open(store / f"{SHIPMENT}.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(early, ensure_ascii=False, separators=(",", ":")) + "\n")
    assert entries(select_changes(client, point, 4)) == [(f"StandardODATA.{SHIPMENT}", early["Ref_Key"])]


def test_atom_with_select_and_writes_refused(trade):
    client, expected, _ = trade
    feed = etree.fromstring(client.get(SHIPMENT, params={"$select": "Date,Posted", "$top": 3}).content)
    props = feed.findall("a:entry/a:content/m:properties", NS)
    assert [[etree.QName(p).localname for p in e] for e in props] == [["Date", "Posted"]] * 3
    assert_error(client.put(f"{SHIPMENT}(guid'{next(iter(expected))}')", params={"$format": "json"}), 405)
    assert_error(client.post(SHIPMENT, params={"$format": "json"}, content=b"{}"), 405)


# --- over a generated company (tests/demo/conftest.py builds it once per session) ---------------


def store_objects(root: Path, base: str, entity: str) -> dict[str, dict]:
    es = entity_set(entity)
    current: dict[str, dict] = {}
    path = root / "onec" / base / f"{entity}.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        key = "|".join(str(obj[k]) for k in es.key)
        if obj.get("@deleted"):
            current.pop(key, None)
        else:
            current[key] = obj
    return current


def test_every_generated_entity_set_pages_back_exactly(tiny):
    server, url = start_server(tiny, port=0, user=USER, password=PASSWORD)
    try:
        for base in ("trade", "crm"):
            with httpx.Client(base_url=f"{url}{base}/odata/standard.odata/", auth=(USER, PASSWORD)) as client:
                for es in (e for e in ENTITY_SETS.values() if e.base == base):
                    got, skip = [], 0
                    while page := values(client, es.name, **{"$top": 500, "$skip": skip,
                                                             "$orderby": ",".join(es.key)}):
                        got += page
                        skip += 500
                    keyed = {"|".join(str(o[k]) for k in es.key): o for o in got}
                    assert len(keyed) == len(got), es.name
                    assert keyed == store_objects(tiny, base, es.name), es.name
    finally:
        server.close()


def test_generated_truncated_line_breaks_exactly_one_page(tiny_dirty):
    fault = next(f for f in json.loads((tiny_dirty / "manifest.json").read_text(encoding="utf-8"))["faults"]
                 if f["fault"] == "truncated_json_line") if (tiny_dirty / "manifest.json").exists() else None
    if fault is None:
        pytest.skip("the generator's manifest names no truncated line")
    base, entity = Path(fault["file"]).parts[1], Path(fault["file"]).stem
    broken_line = (tiny_dirty / fault["file"]).read_text(encoding="utf-8").splitlines()[fault["line"] - 1]
    server, url = start_server(tiny_dirty, port=0, user=USER, password=PASSWORD)
    try:
        with httpx.Client(base_url=f"{url}{base}/odata/standard.odata/", auth=(USER, PASSWORD)) as client:
            total = int(client.get(f"{entity}/$count").text)
            bad = []
            for skip in range(total):
                r = client.get(entity, params={"$format": "json", "$top": 1, "$skip": skip, "$orderby": "Ref_Key"})
                assert r.status_code == 200
                try:
                    json.loads(r.text)
                except ValueError:
                    bad.append(r.text)
            assert len(bad) == 1 and broken_line in bad[0]
    finally:
        server.close()


def test_draining_the_feed_of_a_generated_company_rebuilds_it(tiny, tmp_path):
    import shutil

    root = tmp_path / "company"
    shutil.copytree(tiny / "onec", root / "onec")
    server, url = start_server(root, port=0, user=USER, password=PASSWORD)
    try:
        odata = f"{url}trade/odata/standard.odata/"
        with httpx.Client(base_url=odata, auth=(USER, PASSWORD)) as client:
            point, node = dwh_point(client, odata)
            rebuilt: dict[str, set[str]] = {}
            message_no = int(node["ReceivedNo"]) + 1
            while True:
                feed = select_changes(client, point, message_no)
                if not len(feed.findall("a:entry", NS)) + len(feed.findall("at:deleted-entry", NS)):
                    break
                for entry in feed:  # entries and tombstones, in feed order
                    if entry.tag not in (f"{{{NS['a']}}}entry", f"{{{NS['at']}}}deleted-entry"):
                        continue
                    term = entry.find("a:category", NS).get("term").removeprefix("StandardODATA.")
                    props = entry.find(".//m:properties", NS)
                    key = "|".join(props.find(f"d:{k}", NS).text for k in entity_set(term).key)
                    keys = rebuilt.setdefault(term, set())
                    if entry.tag.endswith("deleted-entry"):
                        keys.discard(key)
                    else:
                        keys.add(key)
                notify(client, point, message_no)
                message_no += 1
        for es in (e for e in ENTITY_SETS.values() if e.base == "trade"):
            assert rebuilt.get(es.name, set()) == set(store_objects(root, "trade", es.name)), es.name
    finally:
        server.close()
