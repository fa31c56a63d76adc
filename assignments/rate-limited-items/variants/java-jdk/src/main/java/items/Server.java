package items;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rate-limited items API on the JDK's own HTTP server, no runtime dependencies. */
public final class Server implements HttpHandler {
  static final int MAX_BODY_BYTES = 1024 * 1024;
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;
  static final double MAX_SAFE_INTEGER = 9007199254740991d;
  /** After an early answer, read at most this much of an unread body before closing. */
  static final long DRAIN_BYTES = 8L * MAX_BODY_BYTES;

  private static final Pattern JSON_TYPE = Pattern.compile("^application/(?:[\\w.+-]+\\+)?json\\s*(?:;|$)", Pattern.CASE_INSENSITIVE);
  private static final Pattern ITEM_PATH = Pattern.compile("^/items/([^/]+)$", Pattern.DOTALL);
  private static final Pattern LIMIT = Pattern.compile("[0-9]{1,3}");

  final RateLimiter limiter;
  final Store store = new Store();

  Server(long max, long windowMs) {
    this.limiter = new RateLimiter(max, windowMs);
  }

  /** A positive safe integer from the environment, or the default (as the Node reference reads it). */
  static long positiveLong(String value, long fallback) {
    try {
      double n = Double.parseDouble(value == null ? "" : value.trim());
      return n > 0 && n == Math.rint(n) && n <= MAX_SAFE_INTEGER ? (long) n : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Starts listening; the caller stops the returned server and executor. */
  static HttpServer start(Server api, String host, int port, ExecutorService executor) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
    server.createContext("/", api);
    server.setExecutor(executor);
    server.start();
    return server;
  }

  public static void main(String[] args) throws IOException {
    // The JDK server leaves Nagle's algorithm on: a response's headers and body then wait for
    // the client's delayed ACK, about 40 ms per response on a kept-alive connection. Read once,
    // when the server classes load, so it must be set before the first HttpServer.create.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    String portText = System.getenv("PORT");
    int port = portText == null || portText.isEmpty() ? 3000 : Integer.parseInt(portText.trim());
    long max = positiveLong(System.getenv("RATE_LIMIT_MAX"), 100);
    long windowMs = positiveLong(System.getenv("RATE_LIMIT_WINDOW_MS"), 60_000);
    Server api = new Server(max, windowMs);
    ExecutorService executor = Executors.newFixedThreadPool(64);
    HttpServer server = start(api, "0.0.0.0", port, executor);
    Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "limiter-sweeper");
      thread.setDaemon(true);
      return thread;
    }).scheduleAtFixedRate(api.limiter::sweep, 10, 10, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop(1);
      executor.shutdownNow();
    }));
    System.out.printf("listening on 0.0.0.0:%d (limit %d per %d ms)%n", port, max, windowMs);
  }

  // ------------------------------------------------------------------ HTTP

  private record Response(int status, Object body, Map<String, String> headers) {}

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Response response;
    boolean close = false;
    try {
      response = dispatch(exchange);
    } catch (HttpError error) {
      close = error.status == 413;
      response = problem(error, Map.of());
    } catch (RuntimeException | IOException | StackOverflowError e) {
      System.err.println("unexpected error: " + e);
      close = true;
      response = problem(new HttpError(500, "Internal error", "something went wrong"), Map.of());
    }
    try {
      send(exchange, response, close);
    } finally {
      exchange.close();
    }
  }

  private static Response problem(HttpError error, Map<String, String> limitHeaders) {
    Map<String, String> headers = new LinkedHashMap<>(limitHeaders);
    headers.putAll(error.headers);
    headers.put("Content-Type", "application/problem+json");
    return new Response(error.status, error.body(), headers);
  }

  private void send(HttpExchange exchange, Response response, boolean close) throws IOException {
    byte[] payload = response.body() == null ? new byte[0] : Json.write(response.body()).getBytes(StandardCharsets.UTF_8);
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    if (response.body() != null && !response.headers().containsKey("Content-Type")) {
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    }
    if (close) exchange.getResponseHeaders().set("Connection", "close");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    // -1: no body at all (the JDK server reads 0 as "chunked").
    exchange.sendResponseHeaders(response.status(), payload.length == 0 || head ? -1 : payload.length);
    if (payload.length > 0 && !head) {
      OutputStream out = exchange.getResponseBody();
      out.write(payload);
      out.flush();
    }
    drain(exchange.getRequestBody());
  }

  /**
   * Reads what is left of the request body after answering, so the connection closes with
   * a FIN rather than a reset that could destroy the answer before the client reads it.
   */
  private static void drain(InputStream in) {
    byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_BYTES;
    try {
      for (int n; left > 0 && (n = in.read(buffer)) > 0; ) left -= n;
    } catch (IOException ignored) {
      // The client went away; nothing left to protect.
    }
  }

  private Response dispatch(HttpExchange exchange) throws HttpError, IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    if ("/health".equals(rawPath)) return new Response(200, Map.of("status", "ok"), Map.of());
    String key = exchange.getRequestHeaders().getFirst("X-API-Key");
    // X-Forwarded-For is ignored on purpose: nothing in front of this server sets it.
    String identity = key != null && !key.isEmpty() ? "key:" + key : "ip:" + exchange.getRemoteAddress().getAddress().getHostAddress();
    RateLimiter.Verdict verdict = limiter.hit(identity);
    try {
      if (verdict.limited()) throw new HttpError(429, "Too many requests", "rate limit exceeded; retry later");
      return route(exchange, verdict.headers());
    } catch (HttpError error) {
      if (error.status == 413) error.header("Connection", "close");
      return problem(error, verdict.headers());
    }
  }

  private Response route(HttpExchange exchange, Map<String, String> limitHeaders) throws HttpError, IOException {
    String path = decodeComponent(exchange.getRequestURI().getRawPath());
    String method = exchange.getRequestMethod();

    if (path.equals("/items")) {
      if (method.equals("GET")) return new Response(200, list(exchange.getRequestURI().getRawQuery()), limitHeaders);
      if (method.equals("POST")) {
        Object body = readJson(exchange);
        Store.Item item = validateAndCreate(body);
        Map<String, String> headers = new LinkedHashMap<>(limitHeaders);
        headers.put("Location", "/items/" + item.id());
        return new Response(201, item.json(), headers);
      }
      throw methodNotAllowed("GET, POST");
    }

    Matcher match = ITEM_PATH.matcher(path);
    if (match.matches()) {
      String id = match.group(1);
      if (method.equals("GET")) {
        Store.Item item = store.get(id);
        if (item == null) throw new HttpError(404, "Not found", "no item with id " + id);
        return new Response(200, item.json(), limitHeaders);
      }
      if (method.equals("DELETE")) {
        if (!store.delete(id)) throw new HttpError(404, "Not found", "no item with id " + id);
        return new Response(204, null, limitHeaders);
      }
      throw methodNotAllowed("GET, DELETE");
    }
    throw new HttpError(404, "Not found", "no such route");
  }

  private static HttpError methodNotAllowed(String allow) {
    return new HttpError(405, "Method not allowed", "allowed: " + allow).header("Allow", allow);
  }

  private Map<String, Object> list(String rawQuery) throws HttpError {
    Map<String, String> query = parseQuery(rawQuery);
    int limit = DEFAULT_LIMIT;
    String rawLimit = query.get("limit");
    if (rawLimit != null) {
      if (!LIMIT.matcher(rawLimit).matches() || Integer.parseInt(rawLimit) < 1 || Integer.parseInt(rawLimit) > MAX_LIMIT) {
        throw new HttpError(400, "Invalid limit", "limit must be an integer from 1 to " + MAX_LIMIT);
      }
      limit = Integer.parseInt(rawLimit);
    }
    String cursor = query.get("cursor");
    Store.Page page = store.page(cursor == null || cursor.isEmpty() ? null : Store.decodeCursor(cursor), limit);
    List<Object> data = new ArrayList<>();
    for (Store.Item item : page.items()) data.add(item.json());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", data);
    body.put("next_cursor", page.more() && !page.items().isEmpty() ? Store.encodeCursor(page.items().get(page.items().size() - 1)) : null);
    return body;
  }

  // ------------------------------------------------------------------ decoding

  /** The first value of each parameter, as URLSearchParams.get gives it; bad escapes stay as they are. */
  static Map<String, String> parseQuery(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null) return values;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true, false);
      String value = percentDecode(eq < 0 ? "" : pair.substring(eq + 1), true, false);
      values.putIfAbsent(name, value);
    }
    return values;
  }

  /** The path decoded as JavaScript's decodeURIComponent does: a bad escape or non-UTF-8 bytes are a 400. */
  static String decodeComponent(String raw) throws HttpError {
    String decoded = percentDecode(raw, false, true);
    if (decoded == null) throw new HttpError(400, "Bad request", "the request target is not a valid URL");
    return decoded;
  }

  private static String percentDecode(String s, boolean plusIsSpace, boolean strict) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '+' && plusIsSpace) {
        out.write(' ');
      } else if (b == '%' && i + 2 < bytes.length && Character.digit(bytes[i + 1], 16) >= 0 && Character.digit(bytes[i + 2], 16) >= 0) {
        out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
        i += 2;
      } else {
        if (b == '%' && strict) return null;
        out.write(b);
      }
    }
    if (!strict) return out.toString(StandardCharsets.UTF_8);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static Object readJson(HttpExchange exchange) throws HttpError, IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !JSON_TYPE.matcher(type).find()) {
      throw new HttpError(415, "Unsupported media type", "send the body as application/json");
    }
    HttpError tooLarge = new HttpError(413, "Payload too large", "bodies are limited to " + MAX_BODY_BYTES + " bytes");
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null && declared.trim().matches("[0-9]+") && (declared.trim().length() > 9 || Long.parseLong(declared.trim()) > MAX_BODY_BYTES)) {
      throw tooLarge;
    }
    byte[] raw = exchange.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
    if (raw.length > MAX_BODY_BYTES) throw tooLarge;
    try {
      return Json.parse(new String(raw, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      throw new HttpError(400, "Malformed JSON", "the body is not valid JSON");
    }
  }

  // ------------------------------------------------------------------ validation

  private Store.Item validateAndCreate(Object body) throws HttpError {
    if (!(body instanceof Map<?, ?> fields)) {
      throw new HttpError(400, "Invalid item", "the body must be a JSON object", List.of(fieldError("", "expected an object")));
    }
    List<Map<String, Object>> errors = new ArrayList<>();
    Object name = fields.get("name");
    // String.length() counts UTF-16 units, as JavaScript does: the 200 limit matches the reference.
    boolean nameOk = name instanceof String s && s.length() >= 1 && s.length() <= 200;
    if (!nameOk) errors.add(fieldError("name", "must be a string of 1 to 200 characters"));
    Object price = fields.get("price_cents");
    // Number.isSafeInteger semantics: any JSON number whose double value is whole and within ±(2^53 - 1).
    boolean priceOk = price instanceof Double d && d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER && d >= 0;
    if (!priceOk) errors.add(fieldError("price_cents", "must be an integer >= 0"));
    if (!errors.isEmpty()) {
      List<String> details = new ArrayList<>();
      for (Map<String, Object> error : errors) details.add(error.get("field") + " " + error.get("message"));
      throw new HttpError(400, "Invalid item", String.join("; ", details), errors);
    }
    return store.create((String) name, ((Double) price).longValue());
  }

  private static Map<String, Object> fieldError(String field, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("field", field);
    error.put("message", message);
    return error;
  }
}
