"""A fault-injecting HTTP proxy: a real socket server in front of the real demo OData server.

The demo server has no hook for HTTP faults, and mocking httpx would test the mock. This proxy sits on
its own port, forwards each request to the real server (one request per connection, `Connection: close`
both ways) and, when a rule matches the request, answers in one of the ways a flaky 1C publication does:

- `status`: an HTTP error (500 by default) with a 1C-shaped JSON body, the real server never asked;
- `slow`: the real answer, but only after `delay` seconds (longer than the client's timeout);
- `drop`: the real status line, headers and part of the body, then the connection is closed mid-page.

    with FaultProxy(upstream="http://127.0.0.1:8090/") as proxy:
        proxy.add("$skip=14", "status", times=2)      # two 500s, then the real page
        url = proxy.url                              # use instead of the real server's base URL
    proxy.log                                        # [(decoded request target, action), ...]
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


@dataclass
class Rule:
    match: str  # a substring of the percent-decoded request target
    action: str  # status | slow | drop
    times: int | None = None  # None: every matching request
    status: int = 500
    delay: float = 5.0
    keep_fraction: float = 0.5  # drop: the share of the body sent before the connection is cut


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """The request (or response) head up to the blank line, and whatever body bytes came with it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _with_connection_close(head: bytes) -> bytes:
    lines = [ln for ln in head.split(b"\r\n") if not ln.lower().startswith((b"connection:", b"keep-alive:"))]
    return b"\r\n".join([*lines, b"Connection: close"])


class _Handler(socketserver.BaseRequestHandler):
    server: _ProxyServer

    def handle(self) -> None:
        client: socket.socket = self.request
        head, body = _read_head(client)
        if not head:
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        target = unquote(request_line.split(" ")[1]) if " " in request_line else request_line
        length = next((int(ln.split(b":", 1)[1]) for ln in head.split(b"\r\n")[1:]
                       if ln.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            chunk = client.recv(65536)
            if not chunk:
                break
            body += chunk
        rule = self.server.proxy._take(target)
        action = rule.action if rule else "pass"
        self.server.proxy.log.append((target, action))
        if rule and rule.action == "status":
            payload = ('{"odata.error": {"code": "-1", "message": {"lang": "ru", '
                       '"value": "Внутренняя ошибка: injected by the test proxy"}}}').encode()
            client.sendall(b"HTTP/1.1 %d Injected Fault\r\nContent-Type: application/json;charset=utf-8\r\n"
                           b"Content-Length: %d\r\nConnection: close\r\n\r\n" % (rule.status, len(payload)) + payload)
            return
        if rule and rule.action == "slow" and self.server.proxy._stopping.wait(rule.delay):
            return  # the proxy is shutting down
        response = self._forward(_with_connection_close(head) + b"\r\n\r\n" + body)
        if rule and rule.action == "drop":
            resp_head, _, resp_body = response.partition(b"\r\n\r\n")
            keep = max(1, int(len(resp_body) * rule.keep_fraction))
            client.sendall(resp_head + b"\r\n\r\n" + resp_body[:keep])
            client.shutdown(socket.SHUT_RDWR)  # cut mid-body: the client sees fewer bytes than Content-Length
            return
        with contextlib.suppress(OSError):  # the client gave up (timed out) while we waited, as on a real network
            client.sendall(response)

    def _forward(self, request: bytes) -> bytes:
        host, port = self.server.proxy.upstream
        with socket.create_connection((host, port), timeout=30) as upstream:
            upstream.sendall(request)
            chunks = []
            while chunk := upstream.recv(1 << 20):
                chunks.append(chunk)
        return b"".join(chunks)


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    proxy: FaultProxy


class FaultProxy:
    def __init__(self, upstream: str):
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname, parts.port)
        self.rules: list[Rule] = []
        self.log: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _ProxyServer(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def add(self, match: str, action: str, *, times: int | None = None, **options) -> Rule:
        if action not in ("status", "slow", "drop"):
            raise ValueError(f"unknown fault {action!r}")
        rule = Rule(match, action, times, **options)
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.log.clear()

    def requests(self, match: str) -> list[str]:
        """The actions taken for every request whose target contained `match`, in order."""
        return [action for target, action in self.log if match in target]

    def requests_when(self, match: str, count: int, timeout: float = 10.0) -> list[str]:
        """`requests(match)` once it holds `count` entries (or after `timeout`): a client that gave up on a
        timeout may be done before the proxy's thread has even read its last request off the socket."""
        deadline = time.monotonic() + timeout
        while len(self.requests(match)) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.requests(match)

    def _take(self, target: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if rule.match in target and (rule.times is None or rule.times > 0):
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
