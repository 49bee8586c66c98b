"""The demo company's 1C publications over HTTP: the standard.odata interface (OData v3 as 1C serves it).

    http://host:port/<base>/odata/standard.odata/      base = trade | crm

GET: the service document, `$metadata`, entity sets and tabular-section sets (JSON with
`$format=json` or `Accept: application/json`, Atom otherwise), `Entity(<key>)`, `Entity/$count`;
query options `$top $skip $orderby $filter $select $inlinecount`. POST: `SelectChanges` and
`NotifyChangesReceived` of the exchange plan (ingestion/demo/exchange.py). HTTP Basic auth on
everything. Data come from the store under DIR/onec/<base>/ (ingestion/demo/store.py), indexed by
ingestion/demo/store_index.py and re-checked on every request, so writes appended while the server
runs are served at once. See docs/odata_server.md.

In-process use (tests, benchmarks): `server, url = start_server(data)`, then `server.close()`.
"""

from __future__ import annotations

import base64
import hmac
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import orjson

from ingestion.demo import odata_atom as atom
from ingestion.demo.exchange import DEFAULT_PACKET_SIZE, PLAN_NAME, ExchangePlan
from ingestion.demo.odata_errors import (
    CODE_ACCESS_DENIED,
    CODE_INTERNAL,
    ODataError,
    bad_request,
    error_json,
    error_xml,
    not_found_instance,
    not_found_resource,
)
from ingestion.demo.odata_filter import compile_filter, parse_key
from ingestion.demo.odata_metadata import metadata_xml, section_fields, service_xml, set_names
from ingestion.demo.odata_query import (
    Options,
    check_select,
    dumps,
    entity_names,
    order_slots,
    page_bounds,
    parse_options,
    render_objects,
    render_section_rows,
    scalar_types,
    section_names,
    select_section_rows,
    select_slots,
)
from ingestion.demo.store_index import EntityIndex
from ingestion.onec.entities import ENTITY_SETS
from ingestion.onec.schema import EntitySet, TabularSection

BASES = ("trade", "crm")
ODATA_ROOT = ("odata", "standard.odata")
JSON_TYPE = "application/json;odata=minimalmetadata;charset=utf-8"
FEED_TYPE = "application/atom+xml;type=feed;charset=utf-8"
ENTRY_TYPE = "application/atom+xml;type=entry;charset=utf-8"
XML_TYPE = "application/xml;charset=utf-8"
FLUSH_BYTES = 256 << 10
BUFFER_LIMIT = 8 << 20  # bigger responses go out chunked instead of with a Content-Length
_RESOURCE = re.compile(r"^(?P<name>[^(/]+)(?:\((?P<key>.*)\))?(?P<count>/\$count)?/?$", re.DOTALL)


class Infobase:
    """One published infobase: its entity sets, their indexes and its exchange plan."""

    def __init__(self, root: Path, base: str, packet_size: int):
        self.base = base
        self.dir = Path(root) / "onec" / base
        self.entities = [es for es in ENTITY_SETS.values() if es.base == base]
        self.by_name = {es.name: es for es in self.entities}
        self.sections: dict[str, tuple[EntitySet, TabularSection, EntitySet]] = {}
        for es in self.entities:
            for s in es.sections:
                name = f"{es.name}_{s.name}"
                self.sections[name] = (es, s, EntitySet(name, base, s.meaning, section_fields(s),
                                                        key=("Ref_Key", "LineNumber")))
        self.indexes = {es.name: EntityIndex(self.dir / f"{es.name}.jsonl", es) for es in self.entities}
        self.exchange = ExchangePlan(self.dir, base, packet_size)
        self.metadata = metadata_xml([*self.entities, self.exchange.entity])
        self.names = [*set_names(self.entities), PLAN_NAME]

    def index(self, name: str) -> EntityIndex:
        idx = self.indexes[name]
        idx.refresh()
        return idx

    def warm_up(self) -> None:
        for idx in self.indexes.values():
            idx.refresh()

    def has_written(self, entity: str, key: str) -> bool:
        """Whether the store file shows this object (alive or deleted); unknown entity sets count as shown."""
        if entity not in self.indexes:
            return True
        idx = self.index(entity)
        with idx.lock:
            return key in idx.slot_of


class ODataServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], data: Path, user: str, password: str,
                 packet_size: int = DEFAULT_PACKET_SIZE, verbose: bool = False):
        super().__init__(address, ODataHandler)
        self.data = Path(data)
        self.infobases = {base: Infobase(self.data, base, packet_size) for base in BASES}
        self.expected_auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        self.verbose = verbose
        self._thread: threading.Thread | None = None

    def warm_up(self) -> None:
        for infobase in self.infobases.values():
            infobase.warm_up()

    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


class ODataHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a paging client reuses its connection
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stall
    server: ODataServer

    def log_message(self, fmt: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(fmt, *args)

    def do_GET(self) -> None:  # noqa: N802 - BaseHTTPRequestHandler's naming
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    # --- plumbing -------------------------------------------------------------------------------

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # the body is not used, but must leave the connection clean
        url = urlsplit(self.path)
        params = dict(parse_qsl(url.query, keep_blank_values=True))
        self.want_json = self._wants_json(params)
        try:
            if not hmac.compare_digest(self.headers.get("Authorization", ""), self.server.expected_auth):
                self._send_error(ODataError(401, CODE_ACCESS_DENIED, "Доступ запрещен: неверное имя пользователя "
                                                                      "или пароль"),
                                 {"WWW-Authenticate": 'Basic realm="1C:Enterprise"'})
                return
            self._route(method, url.path, params)
        except ODataError as err:
            self._send_error(err)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - a request must never take the server down
            traceback.print_exc(file=sys.stderr)
            self._send_error(ODataError(500, CODE_INTERNAL, f"Внутренняя ошибка: {exc}"))

    def _wants_json(self, params: dict[str, str]) -> bool:
        fmt = params.get("$format", "").lower()
        if fmt:
            return "json" in fmt
        return "application/json" in self.headers.get("Accept", "")

    def _send_error(self, err: ODataError, headers: dict[str, str] | None = None) -> None:
        if self.want_json:
            self._send(err.status, JSON_TYPE, error_json(err), headers)
        else:
            self._send(err.status, XML_TYPE, error_xml(err), headers)

    def _send(self, status: int, content_type: str, body: bytes | Iterable[bytes],
              headers: dict[str, str] | None = None) -> None:
        """Send a body; a generated one is buffered up to BUFFER_LIMIT, then streamed chunked."""
        chunks: Iterator[bytes] = iter([body] if isinstance(body, bytes) else body)
        buffered: list[bytes] = []
        size = 0
        for chunk in chunks:  # errors while generating surface here, before any header is out
            buffered.append(chunk)
            size += len(chunk)
            if size > BUFFER_LIMIT:
                break
        else:
            self._start(status, content_type, headers, {"Content-Length": str(size)})
            for chunk in buffered:
                self.wfile.write(chunk)
            return
        self._start(status, content_type, headers, {"Transfer-Encoding": "chunked"})
        self._write_chunk(b"".join(buffered))
        pending: list[bytes] = []
        pending_size = 0
        for chunk in chunks:
            pending.append(chunk)
            pending_size += len(chunk)
            if pending_size >= FLUSH_BYTES:
                self._write_chunk(b"".join(pending))
                pending, pending_size = [], 0
        if pending:
            self._write_chunk(b"".join(pending))
        self.wfile.write(b"0\r\n\r\n")

    def _start(self, status: int, content_type: str, headers: dict[str, str] | None,
               framing: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("DataServiceVersion", "3.0")
        for name, value in {**(headers or {}), **framing}.items():
            self.send_header(name, value)
        self.end_headers()

    def _write_chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    # --- routing --------------------------------------------------------------------------------

    def _route(self, method: str, path: str, params: dict[str, str]) -> None:
        segments = [unquote(s) for s in path.split("/")]
        if segments and segments[0] == "":
            segments = segments[1:]
        if len(segments) < 3 or tuple(segments[1:3]) != ODATA_ROOT or segments[0] not in self.server.infobases:
            raise not_found_resource(unquote(path))
        infobase = self.server.infobases[segments[0]]
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        self.odata_url = f"http://{host}/{segments[0]}/odata/standard.odata/"
        resource = "/".join(segments[3:])
        if resource in ("SelectChanges", "NotifyChangesReceived"):
            if method != "POST":
                raise ODataError(405, "-1", f"{resource} вызывается методом POST")
            self._exchange(infobase, resource, params)
            return
        if method != "GET":
            raise ODataError(405, "-1", f"Метод {method} не поддерживается демонстрационной публикацией "
                                        "(только чтение)")
        if resource == "":
            self._service(infobase)
        elif resource == "$metadata":
            self._send(200, XML_TYPE, infobase.metadata)
        else:
            self._resource(infobase, resource, params)

    def _service(self, infobase: Infobase) -> None:
        if self.want_json:
            body = {"odata.metadata": self.odata_url + "$metadata",
                    "value": [{"name": n, "url": n} for n in infobase.names]}
            self._send(200, JSON_TYPE, dumps(body))
        else:
            self._send(200, "application/atomsvc+xml;charset=utf-8", service_xml(self.odata_url, infobase.names))

    def _resource(self, infobase: Infobase, resource: str, params: dict[str, str]) -> None:
        m = _RESOURCE.match(resource)
        if not m:
            raise not_found_resource(resource)
        name, key, count = m.group("name"), m.group("key"), bool(m.group("count"))
        opts = parse_options(params)
        if name == PLAN_NAME:
            self._plan_nodes(infobase, key, count, opts)
        elif name in infobase.by_name:
            if key is not None:
                self._entity_by_key(infobase, infobase.by_name[name], key, opts)
            else:
                self._entity_set(infobase, infobase.by_name[name], count, opts)
        elif name in infobase.sections:
            owner, section, row_entity = infobase.sections[name]
            if key is not None:
                self._section_row_by_key(infobase, owner, section, row_entity, key, opts)
            else:
                self._section_set(infobase, owner, section, row_entity, count, opts)
        else:
            raise not_found_resource(name)

    # --- entity sets ----------------------------------------------------------------------------

    def _metadata_url(self, name: str, select: list[str] | None, element: bool = False) -> str:
        url = f"{self.odata_url}$metadata#{name}"
        if select is not None:
            url += "&$select=" + ",".join(select)
        return url + ("/@Element" if element else "")

    def _send_page(self, name: str, entity: EntitySet, total: int, items: Iterable[bytes], opts: Options,
                   select: list[str] | None) -> None:
        if self.want_json:
            self._send(200, JSON_TYPE, json_envelope(self._metadata_url(name, select), items,
                                                     total if opts.inlinecount else None))
        else:
            self._send(200, FEED_TYPE, atom.feed(self.odata_url, name, atom_entries(self.odata_url, entity, items)))

    def _entity_set(self, infobase: Infobase, entity: EntitySet, count: bool, opts: Options) -> None:
        idx = infobase.index(entity.name)
        select = check_select(entity_names(entity), opts.select)
        with idx.lock:
            slots = select_slots(idx, opts)
            start, end = page_bounds(len(slots), opts)
            page = slots[start:end]
        if count:
            self._send(200, "text/plain;charset=utf-8", str(len(page)).encode())
            return
        self._send_page(entity.name, entity, len(slots), render_objects(idx, page, select), opts, select)

    def _entity_by_key(self, infobase: Infobase, entity: EntitySet, key: str, opts: Options) -> None:
        idx = infobase.index(entity.name)
        select = check_select(entity_names(entity), opts.select)
        literals = parse_key(key, entity.key)
        with idx.lock:
            slot = idx.slot_of.get("|".join(key_text(literals[k].value) for k in entity.key))
            if slot is None or not idx.alive[slot]:
                raise not_found_instance(entity.name, key)
        item = b"".join(render_objects(idx, [slot], select))
        self._send_element(entity.name, entity, item, select)

    def _send_element(self, name: str, entity: EntitySet, item: bytes, select: list[str] | None) -> None:
        if self.want_json:
            head = b'{"odata.metadata":' + dumps(self._metadata_url(name, select, element=True))
            body = head + (b"," + item[1:] if item[1:].strip() != b"}" else b"}")
            self._send(200, JSON_TYPE, body)
        else:
            entries = b"".join(atom_entries(self.odata_url, entity, [item]))
            self._send(200, ENTRY_TYPE, b'<?xml version="1.0" encoding="UTF-8"?>\n' + entries.replace(
                b"<entry>", b'<entry xmlns="%s" xmlns:d="%s" xmlns:m="%s" xml:base="%s">' % (
                    atom.NS_ATOM.encode(), atom.NS_D.encode(), atom.NS_M.encode(), self.odata_url.encode()), 1))

    # --- tabular-section sets -------------------------------------------------------------------

    def _section_set(self, infobase: Infobase, owner: EntitySet, section: TabularSection, row_entity: EntitySet,
                     count: bool, opts: Options) -> None:
        idx = infobase.index(owner.name)
        select = check_select(section_names(section), opts.select)
        with idx.lock:
            rows = select_section_rows(idx, section, opts)
            total = len(rows)
            start, end = page_bounds(total, opts)
            page = rows.slice(start, end, idx.section_counts[section.name])
        if count:
            self._send(200, "text/plain;charset=utf-8", str(len(page)).encode())
            return
        self._send_page(row_entity.name, row_entity, total, render_section_rows(idx, section, page, select), opts,
                        select)

    def _section_row_by_key(self, infobase: Infobase, owner: EntitySet, section: TabularSection,
                            row_entity: EntitySet, key: str, opts: Options) -> None:
        idx = infobase.index(owner.name)
        select = check_select(section_names(section), opts.select)
        literals = parse_key(key, ("Ref_Key", "LineNumber"))
        try:
            line_no = int(literals["LineNumber"].value)
        except (TypeError, ValueError):
            raise bad_request(f"Неверный формат ключа: '{key}'") from None
        with idx.lock:
            slot = idx.slot_of.get(key_text(literals["Ref_Key"].value)) if owner.key == ("Ref_Key",) else None
            if slot is None or not idx.alive[slot] or not 1 <= line_no <= idx.section_counts[section.name][slot]:
                raise not_found_instance(row_entity.name, key)
        item = b"".join(render_section_rows(idx, section, [(slot, line_no - 1)], select))
        self._send_element(row_entity.name, row_entity, item, select)

    # --- exchange plan --------------------------------------------------------------------------

    def _plan_nodes(self, infobase: Infobase, key: str | None, count: bool, opts: Options) -> None:
        entity = infobase.exchange.entity
        nodes = infobase.exchange.nodes()
        select = check_select(entity_names(entity), opts.select)
        if key is not None:
            ref = key_text(parse_key(key, ("Ref_Key",))["Ref_Key"].value)
            node = next((n for n in nodes if n["Ref_Key"] == ref), None)
            if node is None:
                raise not_found_instance(entity.name, key)
            self._send_element(entity.name, entity, dumps(project(node, select)), select)
            return
        types = scalar_types(entity)
        rows = list(range(len(nodes)))
        if opts.filter is not None:
            predicate = compile_filter(opts.filter, types, lambda name: lambda i: nodes[i].get(name))
            rows = [i for i in rows if predicate(i)]
        rows = order_slots(rows, opts.orderby, types, lambda name: [n.get(name) for n in nodes])
        start, end = page_bounds(len(rows), opts)
        page = [dumps(project(nodes[i], select)) for i in rows[start:end]]
        if count:
            self._send(200, "text/plain;charset=utf-8", str(len(page)).encode())
            return
        self._send_page(entity.name, entity, len(rows), page, opts, select)

    def _exchange(self, infobase: Infobase, function: str, params: dict[str, str]) -> None:
        point = params.get("DataExchangePoint")
        if not point:
            raise bad_request("Не указан параметр DataExchangePoint")
        try:
            message_no = int(params.get("MessageNo", ""))
        except ValueError:
            raise bad_request(f"Неверное значение параметра MessageNo: '{params.get('MessageNo', '')}'") from None
        if function == "NotifyChangesReceived":
            infobase.exchange.notify_received(point, message_no)
            self._send(204, JSON_TYPE if self.want_json else XML_TYPE, b"")
            return
        items = infobase.exchange.select_changes(point, message_no, infobase.has_written)
        self._send(200, FEED_TYPE, atom.feed(self.odata_url, "SelectChanges", changed_entries(infobase, items,
                                                                                               self.odata_url)))


# --- response bodies ----------------------------------------------------------------------------


def key_text(value: Any) -> str:
    """A key literal as it appears in a store key (ingestion.demo.store.object_key: str() of the value)."""
    return str(value)


def project(obj: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    return obj if select is None else {k: obj[k] for k in select if k in obj}


def json_envelope(metadata_url: str, items: Iterable[bytes], count: int | None) -> Iterator[bytes]:
    head = b'{"odata.metadata":' + dumps(metadata_url)
    if count is not None:
        head += b',"odata.count":"%d"' % count  # Edm.Int64 as a string, OData v3 JSON
    buf, size, first = [head + b',"value":['], 0, True
    for item in items:
        if not first:
            buf.append(b",")
        first = False
        buf.append(item)
        size += len(item)
        if size >= FLUSH_BYTES:
            yield b"".join(buf)
            buf, size = [], 0
    buf.append(b"]}")
    yield b"".join(buf)


def atom_entries(base_url: str, entity: EntitySet, items: Iterable[bytes]) -> Iterator[bytes]:
    updated = atom.now_iso()
    for item in items:  # an item is one object or several comma-joined ones
        try:
            objs = orjson.loads(b"[" + item + b"]")
        except ValueError:
            yield item  # a broken stored line breaks the feed, as it breaks a JSON page
            continue
        yield "".join(atom.entry(base_url, entity, obj, updated) for obj in objs).encode("utf-8")


def changed_entries(infobase: Infobase, items: list[tuple[str, str]], base_url: str) -> Iterator[bytes]:
    """Entries of a SelectChanges packet: each object's current state, or a tombstone if it is gone."""
    updated = atom.now_iso()
    for entity_name, key in items:
        entity = infobase.by_name.get(entity_name)
        if entity is None:
            continue  # written by a newer registry than this server knows
        idx = infobase.index(entity_name)
        with idx.lock:
            slot = idx.slot_of.get(key)
            if slot is None:
                continue  # registered, but its line never reached the store file
            line = idx.read_lines([slot])[0] if idx.alive[slot] else None
            key_values = idx.key_fields(slot)
        if line is None:
            yield atom.deleted_entry(base_url, entity, key_values, updated).encode("utf-8")
            continue
        try:
            obj = orjson.loads(line)
        except ValueError:
            yield line
            continue
        yield atom.entry(base_url, entity, obj, updated).encode("utf-8")


# --- starting -----------------------------------------------------------------------------------


def start_server(data: Path, host: str = "127.0.0.1", port: int = 0, user: str = "odata", password: str = "odata",
                 packet_size: int = DEFAULT_PACKET_SIZE, verbose: bool = False) -> tuple[ODataServer, str]:
    """Index the store, serve it from a background thread; returns (server, "http://host:port/")."""
    server = ODataServer((host, port), data, user, password, packet_size=packet_size, verbose=verbose)
    server.warm_up()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="demo-odata",
                              daemon=True)
    thread.start()
    server._thread = thread
    return server, server.base_url()


def serve(data: Path, host: str, port: int, user: str, password: str) -> None:
    """Blocking: index the store, print the publications' URLs and serve until interrupted."""
    started = time.monotonic()
    packet_size = int(os.environ.get("DEMO_ODATA_PACKET_SIZE", DEFAULT_PACKET_SIZE))
    server = ODataServer((host, port), data, user, password, packet_size=packet_size,
                         verbose=bool(os.environ.get("DEMO_ODATA_VERBOSE")))

    def warm_up() -> None:  # in the background: serving starts at once, a request waits only for its own file
        server.warm_up()
        print(f"indexed {data} in {time.monotonic() - started:.1f} s", flush=True)

    threading.Thread(target=warm_up, name="demo-odata-index", daemon=True).start()
    for base in BASES:
        print(f"{base}: {server.base_url()}{base}/odata/standard.odata/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
