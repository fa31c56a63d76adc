package items;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Starts the server on a free port and talks HTTP to it. */
class ServerTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ExecutorService executor;
  private HttpServer server;
  private String base;

  record Answer(int status, Map<String, List<String>> headers, Object body) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map() {
      return (Map<String, Object>) body;
    }
  }

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(4);
    server = Server.start(new Server(5, 60_000), "127.0.0.1", 0, executor);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private Answer send(String method, String path, String body, String key, String contentType) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", contentType);
    if (key != null) request.header("X-API-Key", key);
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Object parsed = response.body().isEmpty() ? null : Json.parse(response.body());
    return new Answer(response.statusCode(), response.headers().map(), parsed);
  }

  private Answer send(String method, String path, String body, String key) throws Exception {
    return send(method, path, body, key, "application/json");
  }

  @Test
  void createsAndReadsAnItem() throws Exception {
    Answer created = send("POST", "/items", "{\"name\":\"pen\",\"price_cents\":150}", "c");
    assertEquals(201, created.status());
    String id = (String) created.map().get("id");
    assertEquals(List.of("/items/" + id), created.headers().get("location"));
    Answer got = send("GET", "/items/" + id, null, "c");
    assertEquals(200, got.status());
    assertEquals(created.body(), got.body());
  }

  @Test
  void walksEveryItemOnceAcrossADelete() throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) ids.add((String) send("POST", "/items", "{\"name\":\"n" + i + "\",\"price_cents\":" + i + "}", "k" + i).map().get("id"));
    Set<String> seen = new HashSet<>();
    String cursor = "";
    for (int page = 0; ; page++) {
      Map<String, Object> body = send("GET", "/items?limit=2&cursor=" + cursor, null, "walk" + page).map();
      for (Object item : (List<?>) body.get("data")) assertTrue(seen.add((String) ((Map<?, ?>) item).get("id")));
      if (page == 0) send("DELETE", "/items/" + seen.iterator().next(), null, "deleter");
      if (body.get("next_cursor") == null) break;
      cursor = (String) body.get("next_cursor");
    }
    assertEquals(ids, seen);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"name\":\"\",\"price_cents\":1}", "{\"name\":\"x\",\"price_cents\":-1}", "{\"name\":\"x\",\"price_cents\":1.5}", "{\"name\":\"x\",\"price_cents\":1e400}", "[1]"})
  void rejectsInvalidItems(String body) throws Exception {
    Answer answer = send("POST", "/items", body, "v" + body.hashCode());
    assertEquals(400, answer.status());
    assertEquals("Invalid item", answer.map().get("title"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=101", "limit=abc", "cursor=!!", "cursor=e30"})
  void rejectsBadListParameters(String query) throws Exception {
    assertEquals(400, send("GET", "/items?" + query, null, query).status());
  }

  @Test
  void limitsEachKeySeparately() throws Exception {
    for (int i = 1; i <= 5; i++) assertEquals(200, send("GET", "/items", null, "a").status());
    Answer limited = send("GET", "/items", null, "a");
    assertEquals(429, limited.status());
    assertTrue(Integer.parseInt(limited.headers().get("retry-after").get(0)) >= 1);
    assertEquals(200, send("GET", "/items", null, "b").status());
    assertEquals(200, send("GET", "/health", null, "a").status());
  }

  @Test
  void errorsAreProblemDetails() throws Exception {
    assertEquals(404, send("GET", "/nowhere", null, "e1").status());
    assertEquals(400, send("POST", "/items", "{\"name\": ", "e2").status());
    assertEquals(415, send("POST", "/items", "{}", "e3", "text/plain").status());
    Answer wrongMethod = send("PUT", "/items", "{}", "e4");
    assertEquals(405, wrongMethod.status());
    assertEquals(List.of("GET, POST"), wrongMethod.headers().get("allow"));
    assertEquals(List.of("application/problem+json"), wrongMethod.headers().get("content-type"));
    assertFalse(wrongMethod.map().containsKey("stack"));
  }
}
