"""A client of the 1C standard.odata interface: pages, date windows, version scans, the change feed.

Written against the real publication's behaviour (DOMAIN.md section 1), so it works the same
on the demo server and on a customer's 1C:
- paging is `$top`/`$skip` with a stable `$orderby` (1C gives no nextLink);
- names are percent-encoded Cyrillic; `$format=json`; HTTP Basic;
- 5xx, timeouts and dropped connections are retried with exponential backoff, then fail
  loudly with the URL; 4xx fail at once with 1C's own message;
- a page that is not valid JSON is split in halves until the broken object stands alone,
  so one bad object is rejected with its text while every other object on the page loads;
- the exchange-plan feed (`SelectChanges` / `NotifyChangesReceived`) is read as Atom XML.
No Dagster here: Dagster assets call this.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import httpx
import orjson
from lxml import etree

NS = {
    "a": "http://www.w3.org/2005/Atom",
    "d": "http://schemas.microsoft.com/ado/2007/08/dataservices",
    "m": "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata",
    "at": "http://purl.org/atompub/tombstones/1.0",
}
RETRY_STATUSES = {429, 500, 502, 503, 504}
UTF8_BOM = b"\xef\xbb\xbf"  # some publications start their JSON with one; JSON parsers refuse it
DEMO_URL = "http://127.0.0.1:8090/{base}/odata/standard.odata"
# The first page of an entity set is this many objects at most: its size per object sets the next pages'
# $top, so a set of documents with thousands of lines each is not asked for 2000 at a time.
FIRST_PAGE_OBJECTS = 20


@dataclass(frozen=True)
class ODataSettings:
    url: str  # ends with /odata/standard.odata
    user: str
    password: str
    page_size: int = 2000  # objects per page at most
    page_bytes: int = 16 * 1024 * 1024  # the size a page aims at: $top follows the objects' size
    timeout_seconds: float = 60.0
    max_attempts: int = 6
    backoff_seconds: float = 0.5

    @classmethod
    def from_env(cls, base: str) -> ODataSettings:
        """`ONEC_<BASE>_URL` (default: the demo server), `ONEC_USER`, `ONEC_PASSWORD`, `ONEC_PAGE_SIZE`,
        `ONEC_PAGE_MB`, `ONEC_TIMEOUT_SECONDS`."""
        return cls(
            url=os.environ.get(f"ONEC_{base.upper()}_URL", DEMO_URL.format(base=base)).rstrip("/"),
            user=os.environ.get("ONEC_USER", "odata"),
            password=os.environ.get("ONEC_PASSWORD", "odata"),
            page_size=int(os.environ.get("ONEC_PAGE_SIZE", "2000")),
            page_bytes=int(float(os.environ.get("ONEC_PAGE_MB", "16")) * 1024 * 1024),
            timeout_seconds=float(os.environ.get("ONEC_TIMEOUT_SECONDS", "60")),
        )


class ODataError(RuntimeError):
    """The source refused or kept failing; the message names the URL and what 1C said."""


@dataclass
class BrokenRecord:
    """An object the source sent that is not valid JSON: kept whole, with where it was."""

    entity: str
    position: int  # its $skip
    text: str
    error: str


@dataclass
class Page:
    """One page of an entity set as the source sent it: the bytes of a standard OData JSON response.

    The loader reads it without parsing it in Python and sets `objects` (how many objects it held)
    before asking for the next page; `ODataClient.page_records` re-reads a page object by object when
    the loader could not read it whole."""

    entity: str
    params: dict
    skip: int
    top: int
    content: bytes
    objects: int | None = None


@dataclass
class Change:
    entity: str
    record: dict | None  # the whole current object; None when deleted
    key: dict = field(default_factory=dict)  # key fields (for a deletion)

    @property
    def deleted(self) -> bool:
        return self.record is None


def odata_literal(value: object) -> str:
    if isinstance(value, datetime):
        return f"datetime'{value.strftime('%Y-%m-%dT%H:%M:%S')}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


class ODataClient:
    def __init__(self, settings: ODataSettings, *, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, log: Callable[[str], None] = lambda _msg: None):
        self.settings = settings
        self._sleep = sleep
        self._log = log
        self._http = httpx.Client(
            auth=(settings.user, settings.password), timeout=settings.timeout_seconds, transport=transport,
            headers={"Accept": "application/json"},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ODataClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- HTTP with retries --------------------------------------------------------

    def _url(self, path: str, params: dict[str, object]) -> str:
        query = "&".join(f"{k}={quote(str(v), safe=chr(39) + '(),=:/')}" for k, v in params.items())
        return f"{self.settings.url}/{quote(path, safe='_()=,')}" + (f"?{query}" if query else "")

    def _request(self, method: str, path: str, params: dict[str, object]) -> httpx.Response:
        url = self._url(path, params)
        delay = self.settings.backoff_seconds
        for attempt in range(1, self.settings.max_attempts + 1):
            try:
                response = self._http.request(method, url)
            except httpx.TransportError as exc:  # refused, reset, timed out, dropped mid-body
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise ODataError(f"{method} {url}: HTTP {response.status_code}: {_onec_message(response)}")
                problem = f"HTTP {response.status_code}: {_onec_message(response)}"
            if attempt == self.settings.max_attempts:
                raise ODataError(f"{method} {url}: gave up after {attempt} attempts; last: {problem}")
            self._log(f"{method} {url}: {problem}; retrying in {delay:.1f}s (attempt {attempt})")
            self._sleep(delay)
            delay = min(delay * 2, 30.0)
        raise AssertionError("unreachable")

    # --- entity sets ------------------------------------------------------------------

    def records(self, entity: str, *, orderby: str = "Ref_Key", filter: str | None = None,
                select: str | None = None) -> Iterator[dict | BrokenRecord]:
        """Every object of an entity set (optionally filtered), page by page, in a stable order."""
        params: dict[str, object] = {"$format": "json", "$orderby": orderby}
        if filter:
            params["$filter"] = filter
        if select:
            params["$select"] = select
        skip, top = 0, self.settings.page_size
        # The next page is fetched in the background while the caller works through this one, so 1C (and
        # the network) prepare it while we load. The requests are the same, in the same order, as without.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="odata-prefetch") as prefetch:
            page = list(self._page(entity, params, skip, top))
            while True:
                following = None
                if len(page) >= top:
                    following = prefetch.submit(lambda s: list(self._page(entity, params, s, top)), skip + top)
                yield from page
                if following is None:
                    return
                page, skip = following.result(), skip + top

    def pages(self, entity: str, *, orderby: str = "Ref_Key", filter: str | None = None,
              select: str | None = None) -> Iterator[Page]:
        """Every page of an entity set (optionally filtered), unparsed, in a stable order.

        The consumer sets `page.objects` before taking the next page; paging ends at the first page
        holding fewer than its `$top` objects. From the second page on, the next page is fetched in the
        background while the consumer loads this one (one request past the end of a multi-page set).
        Pages aim at `page_bytes`: the first asks for a few objects, and each page's bytes per object set
        the next one's `$top` (at most `page_size`), so memory stays flat however large the documents are."""
        params: dict[str, object] = {"$format": "json", "$orderby": orderby}
        if filter:
            params["$filter"] = filter
        if select:
            params["$select"] = select

        def fetch(skip: int, top: int) -> Page:
            content = self._request("GET", entity, {**params, "$top": top, "$skip": skip}).content
            return Page(entity, params, skip, top, content.removeprefix(UTF8_BOM))

        def next_top(page: Page) -> int:  # sized from a full page (a short one is the last)
            per_object = max(len(page.content), 1) / page.top
            return max(1, min(self.settings.page_size, int(self.settings.page_bytes / per_object)))

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="odata-prefetch") as prefetch:
            page, following = fetch(0, min(self.settings.page_size, FIRST_PAGE_OBJECTS)), None
            while True:
                yield page
                if page.objects is None:
                    raise RuntimeError(f"{entity}: page at $skip={page.skip} was not counted by its consumer")
                if page.objects < page.top:
                    return  # (a speculative request past the end is still finishing; its answer is dropped)
                page = following.result() if following is not None else fetch(page.skip + page.top, next_top(page))
                following = prefetch.submit(fetch, page.skip + page.top, next_top(page))

    def page_records(self, page: Page) -> Iterator[dict | BrokenRecord]:
        """The objects of a page one by one: a broken object is isolated (the page re-read in halves)."""
        return self._page(page.entity, page.params, page.skip, page.top)

    def _page(self, entity: str, params: dict, skip: int, top: int) -> Iterator[dict | BrokenRecord]:
        response = self._request("GET", entity, {**params, "$top": top, "$skip": skip})
        try:
            objects = orjson.loads(response.content.removeprefix(UTF8_BOM))["value"]
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            if top == 1:
                yield BrokenRecord(entity, skip, response.text, f"invalid JSON page: {exc}")
                return
            half = top // 2  # isolate the broken object; the rest of the page still loads
            first = list(self._page(entity, params, skip, half))
            yield from first
            if len(first) == half:
                yield from self._page(entity, params, skip + half, top - half)
            return
        yield from objects

    def since(self, entity: str, date_field: str, start: datetime, end: datetime | None = None,
              orderby: str = "Ref_Key") -> Iterator[dict | BrokenRecord]:
        """Objects dated in [start, end): the incremental read, with the overlap chosen by the caller."""
        flt = _date_filter(date_field, start, end)
        return self.records(entity, orderby=orderby, filter=flt)

    def pages_since(self, entity: str, date_field: str, start: datetime, end: datetime | None = None,
                    orderby: str = "Ref_Key") -> Iterator[Page]:
        """`since` as unparsed pages."""
        return self.pages(entity, orderby=orderby, filter=_date_filter(date_field, start, end))

    def versions(self, entity: str, *, posted: bool = True) -> Iterator[dict | BrokenRecord]:
        """The cheap scan for reconciliation: key, version and flags of every object (catalogs have no Posted)."""
        return self.records(entity, select="Ref_Key,DataVersion,DeletionMark" + (",Posted" if posted else ""))

    def by_keys(self, entity: str, keys: list[str], chunk: int = 50) -> Iterator[dict | BrokenRecord]:
        for i in range(0, len(keys), chunk):
            flt = " or ".join(f"Ref_Key eq guid'{k}'" for k in keys[i:i + chunk])
            yield from self.records(entity, filter=flt)

    # --- exchange plan (change capture) ---------------------------------------------

    def exchange_nodes(self, plan: str) -> list[dict]:
        response = self._request("GET", plan, {"$format": "json"})
        return orjson.loads(response.content)["value"]

    def _exchange_point(self, plan: str, node_ref: str) -> str:
        return f"'{self.settings.url}/{plan}(guid'{node_ref}')'"

    def select_changes(self, plan: str, node_ref: str, message_no: int) -> list[Change]:
        response = self._request("POST", "SelectChanges", {
            "DataExchangePoint": self._exchange_point(plan, node_ref), "MessageNo": message_no})
        return parse_changes(response.content)

    def notify_changes_received(self, plan: str, node_ref: str, message_no: int) -> None:
        self._request("POST", "NotifyChangesReceived", {
            "DataExchangePoint": self._exchange_point(plan, node_ref), "MessageNo": message_no})


def _date_filter(date_field: str, start: datetime, end: datetime | None) -> str:
    flt = f"{date_field} ge {odata_literal(start)}"
    if end is not None:
        flt += f" and {date_field} lt {odata_literal(end)}"
    return flt


def _onec_message(response: httpx.Response) -> str:
    try:
        error = orjson.loads(response.content)["odata.error"]
        return f"{error.get('code', '')} {error['message']['value']}".strip()
    except (orjson.JSONDecodeError, KeyError, TypeError):
        return response.text[:300]


# --- Atom XML of the change feed ---------------------------------------------------------

def _value(element) -> object:
    if element.get(f"{{{NS['m']}}}null") == "true":
        return None
    elements = element.findall("d:element", NS)
    if elements or element.get(f"{{{NS['m']}}}type", "").startswith("Collection("):
        return [{_local(child): _value(child) for child in line} for line in elements]
    text = element.text or ""
    edm = element.get(f"{{{NS['m']}}}type", "Edm.String")
    if edm == "Edm.Boolean":
        return text == "true"
    if edm in ("Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte"):
        return int(text)
    if edm in ("Edm.Double", "Edm.Decimal", "Edm.Single"):
        return float(text)
    return text


def _local(element) -> str:
    return etree.QName(element).localname


def _properties(container) -> dict:
    props = container.find(".//m:properties", NS)
    return {} if props is None else {_local(p): _value(p) for p in props}


def _entity_of(entry) -> str:
    term = entry.find("a:category", NS).get("term")
    return term.split(".", 1)[1] if term.startswith("StandardODATA.") else term


def parse_changes(content: bytes) -> list[Change]:
    """The objects of one SelectChanges message: whole current states, and deletions."""
    root = etree.fromstring(content)
    changes = []
    for node in root:
        if node.tag == f"{{{NS['a']}}}entry":
            changes.append(Change(_entity_of(node), _properties(node)))
        elif node.tag == f"{{{NS['at']}}}deleted-entry":
            changes.append(Change(_entity_of(node), None, _properties(node)))
    return changes
