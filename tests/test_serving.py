"""Serving that no request can stall, on real servers (`peel-web serve` on 127.0.0.1).

* The operator-chain family that hung the server is answered (200 or an explained 400) while
  `/healthz` keeps answering.
* On an archive where the heaviest allowed query takes seconds (`tests/heavy.py`), cheap
  searches, `/healthz` and static files are answered while heavy searches run; a search past
  its budget is a 503 with a sentence and Retry-After; a full pool is a 503 "busy, retry".
* SIGTERM stops a server in the middle of heavy searches within seconds.
* uvicorn's own 400s (malformed request line, oversized or invalid headers) carry the security
  headers; redirects never take their host from the `Host` header.
* 600 case variants of one facet value make the same page as one; `page=٣` is a 400; a
  zero-width space inside a word matches the word.

Time-outs here are hang guards (`HANG_GUARD`), far above the budget; nothing asserts a speed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from indexer.search.budget import MAX_BINARY_OPERATORS
from tests.conftest import Server
from tests.heavy import CHEAP_QUERY, HEAVY_QUERY, build_heavy_index
from webapp.headers import SECURITY_HEADERS
from webapp.redirects import safe_location

HANG_GUARD = 30.0  # seconds: only a hung server takes this long
WORDS = ["police", "force", "crime", "THRIVE", "demand", "victims", "custody", "kaleidoscope"]


def chains() -> list[str]:
    out = []
    for op in ("ANDNOT", "ANDMAYBE", "REQUIRE", "AND", "OR"):
        for n in (MAX_BINARY_OPERATORS + 1, 20, 50):
            out.append(f" {op} ".join(WORDS[i % len(WORDS)] for i in range(n))[:500])
    mixed = ["ANDNOT", "ANDMAYBE", "REQUIRE", "AND", "OR"]
    out.append(WORDS[0] + "".join(f" {mixed[i % 5]} {WORDS[i % 8]}" for i in range(60))[:480])
    out.append("".join(f"({w} ANDNOT " for w in WORDS * 3) + "end" + ")" * 24)
    out.append(" ANDNOT ".join(WORDS[:MAX_BINARY_OPERATORS + 1]))  # the longest allowed
    return out


@pytest.fixture(scope="module")
def heavy_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_heavy_index(tmp_path_factory.mktemp("heavy"))


def test_operator_chains_are_answered_while_healthz_keeps_answering(server: Server) -> None:
    stop = threading.Event()
    health: list[int] = []

    def poll_health() -> None:
        with httpx.Client(base_url=server.base, timeout=HANG_GUARD) as client:
            while not stop.is_set():
                health.append(client.get("/healthz").status_code)

    poller = threading.Thread(target=poll_health)
    poller.start()
    answers: list[tuple[str, int, str]] = []
    try:
        with httpx.Client(base_url=server.base, timeout=HANG_GUARD) as client:
            for q in chains():
                for path in ("/api/search", "/", "/api/search.csv"):
                    r = client.get(path, params={"q": q})
                    answers.append((q, r.status_code, r.text))
                r = client.get("/reports/kent-2017-effectiveness", params={"q": q})
                answers.append((q, r.status_code, r.text))
    finally:
        stop.set()
        poller.join(HANG_GUARD)
    assert {status for _, status, _ in answers} <= {200, 400}
    refused = [(q, text) for q, status, text in answers if status == 400]
    assert refused and all("the limit is" in text for _, text in refused)
    assert any(status == 200 for q, status, _ in answers if q.count("ANDNOT") == 8)
    assert health and set(health) == {200}


def test_a_heavy_search_does_not_hold_up_cheap_ones(heavy_index: Path) -> None:
    """Two heavy searches start first; cheap searches, /healthz and a static file sent after
    them are all answered before either heavy one (one server process, so nothing else could
    answer them)."""
    srv = Server(heavy_index, "--workers", "1", "--search-seconds", "60")
    order: list[str] = []
    lock = threading.Lock()

    def heavy() -> None:
        with httpx.Client(base_url=srv.base, timeout=HANG_GUARD * 4) as client:
            r = client.get("/api/search", params={"q": HEAVY_QUERY})
        with lock:
            order.append(f"heavy {r.status_code}")

    try:
        threads = [threading.Thread(target=heavy) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # let both heavy requests reach the server (not an assertion)
        with httpx.Client(base_url=srv.base, timeout=HANG_GUARD) as client:
            for path, params in (("/api/search", {"q": CHEAP_QUERY}), ("/healthz", {}),
                                 ("/static/site.css", {}), ("/", {"q": CHEAP_QUERY})):
                r = client.get(path, params=params)
                with lock:
                    order.append(f"cheap {r.status_code}")
        for t in threads:
            t.join(HANG_GUARD * 4)
    finally:
        srv.stop()
    assert order[:4] == ["cheap 200"] * 4, order
    assert sorted(order[4:]) == ["heavy 200", "heavy 200"], order


def test_a_search_past_its_budget_is_a_503_that_says_how_to_narrow_it(
    heavy_index: Path,
) -> None:
    srv = Server(heavy_index, "--workers", "1", "--search-seconds", "0.000001")
    try:
        with httpx.Client(base_url=srv.base, timeout=HANG_GUARD) as client:
            for path in ("/api/search", "/api/search.csv"):
                r = client.get(path, params={"q": HEAVY_QUERY})
                assert r.status_code == 503
                assert r.headers["retry-after"] == "2"
                assert r.json()["error"].startswith("This search is too broad: it did not finish")
                assert "Narrow it by" in r.json()["error"]
                assert r.json()["status"] == 503
                for name, value in SECURITY_HEADERS.items():
                    assert r.headers[name] == value
            page = client.get("/", params={"q": CHEAP_QUERY})
            assert page.status_code == 503 and "This search is too broad" in page.text
            assert client.get("/healthz").status_code == 200
            assert client.get("/static/site.css").status_code == 200
    finally:
        srv.stop()


def test_a_full_pool_answers_busy_with_retry_after(heavy_index: Path) -> None:
    srv = Server(heavy_index, "--workers", "1", "--search-seconds", "60",
                 "--search-threads", "1", "--search-queue", "0")
    busy: list[httpx.Response] = []
    try:
        def hold() -> None:
            # Until it gets the thread (a cheap search may hold it the moment it arrives).
            with httpx.Client(base_url=srv.base, timeout=HANG_GUARD * 4) as client:
                while client.get("/api/search", params={"q": HEAVY_QUERY}).status_code == 503:
                    pass

        holder = threading.Thread(target=hold)
        holder.start()
        with httpx.Client(base_url=srv.base, timeout=HANG_GUARD) as client:
            guard = time.monotonic() + HANG_GUARD
            while holder.is_alive() and not busy and time.monotonic() < guard:
                r = client.get("/api/search", params={"q": CHEAP_QUERY})
                if r.status_code == 503:
                    busy.append(r)
                else:
                    assert r.status_code == 200
            assert client.get("/healthz").status_code == 200
            holder.join(HANG_GUARD * 4)
            assert client.get("/api/search", params={"q": CHEAP_QUERY}).status_code == 200
    finally:
        srv.stop()
    assert busy, "the heavy search ended before any cheap one found the pool full"
    assert busy[0].headers["retry-after"] == "2"
    assert busy[0].json() == {
        "error": "The archive is busy with other searches right now; please retry in 2 seconds.",
        "status": 503,
    }


def test_sigterm_stops_the_server_in_the_middle_of_heavy_searches(heavy_index: Path) -> None:
    srv = Server(heavy_index, "--search-seconds", "600", default_workers=True)  # the cores
    # More heavy searches than the cores and threads can finish before the hang guard.
    clients = [threading.Thread(target=_ignore_errors, args=(srv.base,)) for _ in range(12)]
    try:
        workers = _worker_processes(srv.proc.pid)
        assert len(workers) == (os.cpu_count() or 1)  # --workers defaults to the cores
        for t in clients:
            t.start()
        time.sleep(1.0)  # let the heavy searches start (not an assertion)
        srv.proc.send_signal(signal.SIGTERM)
        srv.proc.wait(timeout=HANG_GUARD / 3)  # hang guard: the search budget is 600 s
    finally:
        srv.stop()
        for t in clients:
            t.join(HANG_GUARD)
    assert not [pid for pid in workers if _alive(pid)]


def _worker_processes(pid: int) -> list[str]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [c for c in children
            if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def _alive(pid: str) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _ignore_errors(base: str) -> None:
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(base + "/api/search", params={"q": HEAVY_QUERY}, timeout=HANG_GUARD)


# -- edges -------------------------------------------------------------------------------------


def raw(server: Server, data: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes to the server as they are; the status, headers and body it answers."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=HANG_GUARD) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks) and b"connection: close" not in b"".join(
                chunks
            ).lower():
                break
    answer = b"".join(chunks)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("request_bytes", [
    b"GARBAGE\r\n\r\n",
    # Headers still unfinished past the server's 16 KB limit (h11's incomplete-event size).
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 100_000,
    b"GET /" + b"a" * 70_000,
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
], ids=["garbage", "big-header", "long-line", "bad-name", "bad-length", "two-hosts"])
def test_the_servers_own_protocol_errors_carry_the_security_headers(
    server: Server, request_bytes: bytes
) -> None:
    status, headers, _ = raw(server, request_bytes)
    assert status == 400
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name


def test_redirects_never_take_their_host_from_the_request(server: Server) -> None:
    for host in (b"evil.example", b"evil.example:8000", b"127.0.0.1@evil.example"):
        status, headers, _ = raw(
            server,
            b"GET /api/search/?q=police HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close"
            b"\r\n\r\n",
        )
        assert 300 <= status < 400
        assert headers["location"] == "/api/search?q=police"
    assert safe_location("http://evil.example//x.example/a?b=1", "") == "/x.example/a?b=1"
    assert safe_location("http://evil.example/a?b=1#c", "https://peel.example.org/") == (
        "https://peel.example.org/a?b=1#c"
    )


def test_case_variants_of_a_facet_value_make_the_page_one_value_makes(server: Server) -> None:
    one = httpx.get(server.base + "/", params=[("grade", "Outstanding")], timeout=HANG_GUARD)
    variants = ["".join(c.upper() if (n >> i) & 1 else c for i, c in enumerate("outstanding"))
                for n in range(600)]
    many = httpx.get(server.base + "/", params=[("grade", v) for v in variants],
                     timeout=HANG_GUARD)
    assert one.status_code == many.status_code == 200
    assert len(many.content) < len(one.content) * 1.2
    api = httpx.get(server.base + "/api/search", params=[("grade", v) for v in variants],
                    timeout=HANG_GUARD).json()
    assert api["total"] == httpx.get(server.base + "/api/search",
                                     params={"grade": "Outstanding"}).json()["total"]
    too_many = httpx.get(server.base + "/api/search",
                         params=[("force", f"Force {i}") for i in range(65)])
    assert too_many.status_code == 400 and "the limit is 64" in too_many.json()["error"]


@pytest.mark.parametrize("page", ["٣", "３", "1_0", "३"])
def test_numbers_are_ascii_digits_only(server: Server, page: str) -> None:
    for path in ("/api/search", "/"):
        r = httpx.get(server.base + path, params={"q": "police", "page": page})
        assert r.status_code == 400
        assert f"page must be a whole number, not {page!r}." in (
            r.json()["error"] if path.startswith("/api") else r.text.replace("&#39;", "'")
        )


def test_a_zero_width_space_inside_a_word_matches_the_word(server: Server) -> None:
    plain = httpx.get(server.base + "/api/search", params={"q": "THRIVE"}).json()
    for mark in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"):
        marked = httpx.get(server.base + "/api/search", params={"q": f"THR{mark}IVE"}).json()
        assert plain["total"] > 0
        assert [h["section_id"] for h in marked["results"]] == [
            h["section_id"] for h in plain["results"]
        ]
