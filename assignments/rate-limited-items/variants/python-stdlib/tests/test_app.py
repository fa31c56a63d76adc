"""Starts the server on a free port in a thread and talks HTTP to it."""

import http.client
import json
import threading

import pytest

import app


@pytest.fixture()
def server():
    instance = app.ItemsServer(("127.0.0.1", 0), maximum=5, window_ms=60_000)
    thread = threading.Thread(target=instance.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield instance
    instance.shutdown()
    instance.server_close()


def request(server, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=5)
    payload = json.dumps(body) if body is not None and not isinstance(body, str) else body
    connection.request(method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})})
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    connection.close()
    return response.status, dict(response.getheaders()), json.loads(text) if text else None


def test_creates_and_reads_an_item(server):
    status, headers, item = request(server, "POST", "/items", {"name": "pen", "price_cents": 150})
    assert status == 201
    assert headers["Location"] == f"/items/{item['id']}"
    assert request(server, "GET", f"/items/{item['id']}")[2] == item


def test_walks_every_item_once_across_a_delete(server):
    ids = [request(server, "POST", "/items", {"name": f"n{i}", "price_cents": i}, {"X-API-Key": f"k{i}"})[2]["id"] for i in range(5)]
    seen, cursor, deleted = [], "", False
    while True:
        status, _, page = request(server, "GET", f"/items?limit=2&cursor={cursor}", headers={"X-API-Key": f"walk{len(seen)}"})
        assert status == 200
        seen += [item["id"] for item in page["data"]]
        if not deleted:
            request(server, "DELETE", f"/items/{seen[0]}", headers={"X-API-Key": "deleter"})
            deleted = True
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert sorted(seen) == sorted(ids)


@pytest.mark.parametrize(
    "body",
    [{}, {"name": "", "price_cents": 1}, {"name": "x", "price_cents": -1}, {"name": "x", "price_cents": 1.5}, {"name": "x", "price_cents": True}, [1]],
)
def test_rejects_invalid_items(server, body):
    status, _, problem = request(server, "POST", "/items", body, {"X-API-Key": json.dumps(body)})
    assert status == 400
    assert problem["title"] == "Invalid item"


def test_rejects_bad_limits_and_cursors(server):
    for query in ["limit=0", "limit=101", "limit=abc", "cursor=!!", "cursor=e30"]:
        assert request(server, "GET", f"/items?{query}", headers={"X-API-Key": query})[0] == 400


def test_limits_each_key_separately(server):
    statuses = [request(server, "GET", "/items", headers={"X-API-Key": "a"})[0] for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    status, headers, problem = request(server, "GET", "/items", headers={"X-API-Key": "a"})
    assert status == 429 and int(headers["Retry-After"]) >= 1 and problem["status"] == 429
    assert request(server, "GET", "/items", headers={"X-API-Key": "b"})[0] == 200
    assert request(server, "GET", "/health", headers={"X-API-Key": "a"})[0] == 200


def test_errors_are_json(server):
    assert request(server, "GET", "/nowhere", headers={"X-API-Key": "e1"})[0] == 404
    assert request(server, "POST", "/items", '{"name": ', {"X-API-Key": "e2"})[0] == 400
    assert request(server, "POST", "/items", "{}", {"Content-Type": "text/plain", "X-API-Key": "e3"})[0] == 415
    status, headers, _ = request(server, "PUT", "/items", {}, {"X-API-Key": "e4"})
    assert status == 405 and headers["Allow"] == "GET, POST"
