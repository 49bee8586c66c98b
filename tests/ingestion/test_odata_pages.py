"""The unparsed page reader of the 1C client: paging, prefetch, BOM, the one-by-one re-read of a page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import pytest

from ingestion.connectors.onec_odata import UTF8_BOM, BrokenRecord, ODataClient, ODataSettings

OBJECTS = [{"Ref_Key": f"k{n}", "Number": n} for n in range(5)]


def client(requests: list[tuple[int, int]], *, bom: bool = False, broken_at: int | None = None) -> ODataClient:
    def handler(request: httpx.Request) -> httpx.Response:
        query = parse_qs(urlsplit(str(request.url)).query)
        skip, top = int(query["$skip"][0]), int(query["$top"][0])
        requests.append((skip, top))
        items = [orjson.dumps(o) for o in OBJECTS[skip:skip + top]]
        if broken_at is not None and skip <= broken_at < skip + top:
            items[broken_at - skip] = b'{"Ref_Key": "k'  # cut short
        body = b'{"odata.metadata": "m", "value": [' + b",".join(items) + b"]}"
        return httpx.Response(200, content=(UTF8_BOM if bom else b"") + body)

    settings = ODataSettings("http://1c/odata/standard.odata", "u", "p", page_size=2)
    return ODataClient(settings, transport=httpx.MockTransport(handler))


def test_pages_end_at_the_first_short_page_as_counted_by_the_consumer():
    requests: list[tuple[int, int]] = []
    seen = []
    with client(requests, bom=True) as c:
        for page in c.pages("Document_X"):
            assert not page.content.startswith(UTF8_BOM)
            objects = orjson.loads(page.content)["value"]
            seen += objects
            page.objects = len(objects)
    assert seen == OBJECTS
    # pages at 0, 2, 4 (short: the end); the page after that was asked for ahead and is dropped
    assert sorted(requests) == [(0, 2), (2, 2), (4, 2), (6, 2)]


def test_a_page_nobody_counted_stops_the_reader():
    with client([]) as c, pytest.raises(RuntimeError, match="not counted"):
        for _page in c.pages("Document_X"):
            pass


def test_a_page_is_re_read_object_by_object_isolating_the_broken_one():
    with client([], broken_at=3) as c:
        pages = c.pages("Document_X")
        first = next(pages)
        first.objects = 2
        second = next(pages)
        records = list(c.page_records(second))
    assert records[0] == OBJECTS[2]
    assert isinstance(records[1], BrokenRecord) and records[1].position == 3


def test_pages_follow_the_objects_size_to_stay_near_the_byte_budget():
    """Documents of 1,000 bytes, pages of at most 100 objects aiming at 5,000 bytes: the first page asks for
    20 objects (20,000 bytes), every later page for 5; a page of small objects goes back up to 100."""
    big = [{"Ref_Key": f"k{n}", "Lines": "x" * 960} for n in range(42)]
    small = [{"Ref_Key": f"s{n}"} for n in range(300)]
    for objects, expected_tops in ((big, [20, 5, 5, 5, 5, 5]), (small, [20, 100, 100, 100])):
        requests: list[tuple[int, int]] = []

        def handler(request: httpx.Request, objects=objects, requests=requests) -> httpx.Response:
            query = parse_qs(urlsplit(str(request.url)).query)
            skip, top = int(query["$skip"][0]), int(query["$top"][0])
            requests.append((skip, top))
            body = b'{"value": [' + b",".join(orjson.dumps(o) for o in objects[skip:skip + top]) + b"]}"
            return httpx.Response(200, content=body)

        settings = ODataSettings("http://1c/odata/standard.odata", "u", "p", page_size=100, page_bytes=5000)
        seen, sizes = [], []
        with ODataClient(settings, transport=httpx.MockTransport(handler)) as c:
            for page in c.pages("Document_X"):
                values = orjson.loads(page.content)["value"]
                seen += values
                sizes.append(len(page.content))
                page.objects = len(values)
        assert seen == objects  # each object once, in order
        assert [top for _, top in sorted(requests)][:len(expected_tops)] == expected_tops
        if objects is big:
            assert max(sizes[1:]) <= 5000
