"""Rate-limited items API on the Python standard library (http.server), no dependencies.

The same contract as the Node reference: keyset cursors, a fixed-window limiter per API key
(else per socket address), RFC 9457 problem details for every error.
"""

import base64
import bisect
import json
import math
import os
import re
import signal
import sys
import threading
import time
import traceback
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote_to_bytes

MAX_BODY_BYTES = 1024 * 1024
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_SAFE_INTEGER = 2**53 - 1
# After answering early (413, 429, 404…), read at most this much of an unread body so the
# close is a FIN, not an RST that could destroy the answer before the client reads it.
DRAIN_BYTES = 8 * MAX_BODY_BYTES


def positive_int(value, fallback):
    try:
        number = float(value.strip()) if value is not None else 0.0
    except ValueError:
        return fallback
    return int(number) if number.is_integer() and 0 < number <= MAX_SAFE_INTEGER else fallback


# ---------------------------------------------------------------- errors


class HttpError(Exception):
    def __init__(self, status, title, detail, extra=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self):
        return {"type": "about:blank", "title": self.title, "status": self.status, "detail": self.detail, **self.extra}


# ---------------------------------------------------------------- rate limiting


class RateLimiter:
    """Fixed window per identity; check and increment under one lock, so concurrent requests cannot race."""

    def __init__(self, maximum, window_ms):
        self.maximum = maximum
        self.window_ms = window_ms
        self.windows = {}
        self.lock = threading.Lock()

    def hit(self, identity):
        now = time.monotonic() * 1000
        with self.lock:
            entry = self.windows.get(identity)
            if entry is None or entry[1] <= now:
                entry = [0, now + self.window_ms]
                self.windows[identity] = entry
            entry[0] += 1
            count, reset_at = entry
        reset_seconds = max(1, math.ceil((reset_at - now) / 1000))
        headers = {
            "RateLimit-Limit": str(self.maximum),
            "RateLimit-Remaining": str(max(0, self.maximum - count)),
            "RateLimit-Reset": str(reset_seconds),
        }
        if count > self.maximum:
            return True, {**headers, "Retry-After": str(reset_seconds)}
        return False, headers

    def sweep(self):
        now = time.monotonic() * 1000
        with self.lock:
            for identity in [key for key, entry in self.windows.items() if entry[1] <= now]:
                del self.windows[identity]


# ---------------------------------------------------------------- storage


def iso_now():
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class Store:
    """Items kept sorted by (created_at, id): a keyset cursor names the last item seen, so
    pages stay stable when items are created or deleted between requests."""

    def __init__(self):
        self.keys = []
        self.by_id = {}
        self.lock = threading.Lock()

    def create(self, name, price_cents):
        with self.lock:
            # created_at is taken under the lock so insertion order never contradicts it.
            item = {"id": str(uuid.uuid4()), "name": name, "price_cents": price_cents, "created_at": iso_now()}
            key = (item["created_at"], item["id"])
            self.keys.insert(bisect.bisect_right(self.keys, key), key)
            self.by_id[item["id"]] = item
            return item

    def get(self, item_id):
        with self.lock:
            return self.by_id.get(item_id)

    def delete(self, item_id):
        with self.lock:
            item = self.by_id.pop(item_id, None)
            if item is None:
                return False
            key = (item["created_at"], item["id"])
            index = bisect.bisect_left(self.keys, key)
            if index < len(self.keys) and self.keys[index] == key:
                del self.keys[index]
            return True

    def page(self, after, limit):
        with self.lock:
            start = 0 if after is None else bisect.bisect_right(self.keys, after)
            keys = self.keys[start : start + limit]
            more = start + limit < len(self.keys)
            return [self.by_id[key[1]] for key in keys], more


ISO_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z", re.ASCII)
CURSOR_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,512}")


def valid_timestamp(text):
    match = ISO_TIMESTAMP.fullmatch(text)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return 1 <= month <= 12 and 1 <= day <= days[month - 1] and hour < 24 and minute < 60 and second < 60


def encode_cursor(item):
    text = json.dumps({"c": item["created_at"], "i": item["id"]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor):
    invalid = HttpError(400, "Invalid cursor", "cursor is not one this server issued")
    if not CURSOR_SHAPE.fullmatch(cursor):
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parsed = strict_json(raw.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        raise invalid from None
    if not isinstance(parsed, dict):
        raise invalid
    created_at, item_id = parsed.get("c"), parsed.get("i")
    if not isinstance(created_at, str) or not isinstance(item_id, str) or not valid_timestamp(created_at):
        raise invalid
    return (created_at, item_id)


# ---------------------------------------------------------------- validation


def reject_constant(name):
    # Python's json accepts NaN and Infinity; JSON (RFC 8259) does not.
    raise ValueError(f"{name} is not JSON")


def strict_json(text):
    return json.loads(text, parse_constant=reject_constant)


def utf16_length(text):
    # "characters" as JavaScript counts them, so the 200 limit matches the Node reference.
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def safe_integer(value):
    """The value as an int when JavaScript's Number.isSafeInteger would accept it, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_SAFE_INTEGER else None
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SAFE_INTEGER:
        return int(value)
    return None


def validate_item(body):
    if not isinstance(body, dict):
        raise HttpError(400, "Invalid item", "the body must be a JSON object", {"errors": [{"field": "", "message": "expected an object"}]})
    errors = []
    name = body.get("name")
    if not isinstance(name, str) or not 1 <= utf16_length(name) <= 200:
        errors.append({"field": "name", "message": "must be a string of 1 to 200 characters"})
    price = safe_integer(body.get("price_cents"))
    if price is None or price < 0:
        errors.append({"field": "price_cents", "message": "must be an integer >= 0"})
    if errors:
        detail = "; ".join(f"{error['field']} {error['message']}" for error in errors)
        raise HttpError(400, "Invalid item", detail, {"errors": errors})
    return name, price


def parse_limit(raw):
    if raw is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"\d{1,3}", raw, flags=re.ASCII) or not 1 <= int(raw) <= MAX_LIMIT:
        raise HttpError(400, "Invalid limit", f"limit must be an integer from 1 to {MAX_LIMIT}")
    return int(raw)


JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE | re.ASCII)
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def decode_path(raw):
    """The path percent-decoded strictly, as JavaScript's decodeURIComponent does."""
    if BAD_ESCAPE.search(raw):
        raise HttpError(400, "Bad request", "the request target is not a valid URL")
    try:
        return unquote_to_bytes(raw.encode("latin-1")).decode("utf-8")
    except UnicodeError:
        raise HttpError(400, "Bad request", "the request target is not a valid URL") from None


def not_found(detail):
    return HttpError(404, "Not found", detail)


def method_not_allowed(allow):
    return HttpError(405, "Method not allowed", f"allowed: {', '.join(allow)}", headers={"Allow": ", ".join(allow)})


# ---------------------------------------------------------------- HTTP


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Idle keep-alive connections and stalled bodies give their thread back after this long.
    timeout = 30
    server_version = "items"
    # Headers and body go out in two writes: with Nagle's algorithm on, the second waits for
    # the client's delayed ACK, about 40 ms per response on a kept-alive connection.
    disable_nagle_algorithm = True
    sys_version = ""

    def __getattr__(self, name):
        # Every method reaches the router, which answers 405 or 404 as the contract says.
        if name.startswith("do_"):
            return self.dispatch
        raise AttributeError(name)

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass

    def send_error(self, code, message=None, explain=None):
        # The base class answers malformed requests with an HTML page; the contract wants JSON.
        self.close_connection = True
        title = message or self.responses.get(code, ("Error",))[0]
        self.respond(code, HttpError(code, title, explain or title).body(), {"Connection": "close"}, problem=True)

    def respond(self, status, body, headers=None, problem=False):
        payload = b"" if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        self.send_response_only(status)
        self.send_header("Date", self.date_time_string())
        if body is not None:
            self.send_header("Content-Type", "application/problem+json" if problem else "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and payload:
            self.wfile.write(payload)

    def dispatch(self):
        self.body_consumed = False
        try:
            self.handle_request()
        except Exception:  # noqa: BLE001 - anything unexpected is a 500 without internals
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            self.respond(500, HttpError(500, "Internal error", "something went wrong").body(), problem=True)
        self.discard_body()

    def handle_request(self):
        if self.path == "/health" or self.path.startswith("/health?"):
            return self.respond(200, {"status": "ok"})
        key = self.headers.get("X-API-Key")
        # X-Forwarded-For is ignored on purpose: nothing in front of this server sets it.
        identity = f"key:{key}" if key else f"ip:{self.client_address[0]}"
        limited, limit_headers = self.server.limiter.hit(identity)
        try:
            if limited:
                raise HttpError(429, "Too many requests", "rate limit exceeded; retry later")
            self.route(limit_headers)
        except HttpError as error:
            if error.status == 413:
                # An unread oversized body would otherwise keep the connection busy.
                self.close_connection = True
                error.headers = {**error.headers, "Connection": "close"}
            self.respond(error.status, error.body(), {**limit_headers, **error.headers}, problem=True)

    def route(self, limit_headers):
        target = self.path.split("#", 1)[0]
        raw_path, _, query = target.partition("?")
        path = decode_path(raw_path)
        store = self.server.store

        if path == "/items":
            if self.command == "GET":
                return self.respond(200, self.list_items(query), limit_headers)
            if self.command == "POST":
                name, price = validate_item(self.read_json())
                item = store.create(name, price)
                return self.respond(201, item, {**limit_headers, "Location": f"/items/{item['id']}"})
            raise method_not_allowed(["GET", "POST"])

        match = re.fullmatch(r"/items/([^/]+)", path, flags=re.DOTALL)
        if match:
            item_id = match.group(1)
            if self.command == "GET":
                item = store.get(item_id)
                if item is None:
                    raise not_found(f"no item with id {item_id}")
                return self.respond(200, item, limit_headers)
            if self.command == "DELETE":
                if not store.delete(item_id):
                    raise not_found(f"no item with id {item_id}")
                return self.respond(204, None, limit_headers)
            raise method_not_allowed(["GET", "DELETE"])

        raise not_found("no such route")

    def list_items(self, query):
        params = {}
        # The request line arrives as latin-1; raw bytes in it are UTF-8, as a browser sends them.
        query = query.encode("latin-1").decode("utf-8", errors="replace")
        for name, value in parse_qsl(query, keep_blank_values=True, errors="replace"):
            params.setdefault(name, value)  # the first of a repeated parameter, as URLSearchParams.get does
        limit = parse_limit(params.get("limit"))
        cursor = params.get("cursor")
        after = None if not cursor else decode_cursor(cursor)
        page, more = self.server.store.page(after, limit)
        return {"data": page, "next_cursor": encode_cursor(page[-1]) if more and page else None}

    # ------------------------------------------------------------ bodies

    def read_json(self):
        if not JSON_TYPE.match(self.headers.get("Content-Type", "")):
            raise HttpError(415, "Unsupported media type", "send the body as application/json")
        raw = self.read_body()
        try:
            return strict_json(raw.decode("utf-8", errors="replace"))
        except ValueError:
            raise HttpError(400, "Malformed JSON", "the body is not valid JSON") from None
        except RecursionError:
            raise HttpError(400, "Malformed JSON", "the body is nested too deeply") from None

    def declared_length(self):
        text = self.headers.get("Content-Length")
        if text is None:
            return None
        if not text.strip().isdigit():
            self.close_connection = True
            raise HttpError(400, "Bad request", "Content-Length is not a number")
        return int(text)

    def read_body(self):
        too_large = HttpError(413, "Payload too large", f"bodies are limited to {MAX_BODY_BYTES} bytes")
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked(too_large)
        length = self.declared_length() or 0
        if length > MAX_BODY_BYTES:
            raise too_large
        data = self.rfile.read(length)
        self.body_consumed = True
        if len(data) < length:
            self.close_connection = True
            raise HttpError(400, "Bad request", "the request body could not be read")
        return data

    def read_chunked(self, too_large):
        chunks, size = [], 0
        try:
            while True:
                line = self.rfile.readline(1024)
                chunk_size = int(line.split(b";", 1)[0].strip(), 16)
                if chunk_size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                size += chunk_size
                if size > MAX_BODY_BYTES:
                    raise too_large
                chunks.append(self.rfile.read(chunk_size))
                self.rfile.readline(1024)
        except ValueError:
            self.close_connection = True
            raise HttpError(400, "Bad request", "the request body could not be read") from None
        self.body_consumed = True
        return b"".join(chunks)

    def discard_body(self):
        """Reads what the handler left of the body, so the next request on the connection parses."""
        if self.body_consumed:
            return
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        text = self.headers.get("Content-Length", "0").strip()
        length = int(text) if text.isdigit() else 0
        if not chunked and length == 0:
            return
        if chunked or length > MAX_BODY_BYTES:
            self.close_connection = True
        try:
            self.wfile.flush()
            remaining = DRAIN_BYTES if chunked else min(length, DRAIN_BYTES)
            self.connection.settimeout(2)
            while remaining > 0:
                data = self.rfile.read1(min(remaining, 65536))
                if not data:
                    break
                remaining -= len(data)
        except OSError:
            self.close_connection = True


class ItemsServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections under 50 concurrent clients.
    request_queue_size = 128

    def __init__(self, address, maximum, window_ms):
        super().__init__(address, Handler)
        self.limiter = RateLimiter(maximum, window_ms)
        self.store = Store()


def start_sweeper(limiter, stop):
    def run():
        while not stop.wait(10):
            limiter.sweep()

    threading.Thread(target=run, daemon=True).start()


def main():
    port = int(os.environ.get("PORT", "3000"))
    maximum = positive_int(os.environ.get("RATE_LIMIT_MAX"), 100)
    window_ms = positive_int(os.environ.get("RATE_LIMIT_WINDOW_MS"), 60_000)
    server = ItemsServer(("0.0.0.0", port), maximum, window_ms)
    start_sweeper(server.limiter, threading.Event())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"listening on 0.0.0.0:{port} (limit {maximum} per {window_ms} ms)", flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
