package items;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An RFC 9457 problem; every error the API answers is one. */
final class HttpError extends Exception {
  final int status;
  final String title;
  final List<Map<String, Object>> errors;
  final Map<String, String> headers = new LinkedHashMap<>();

  HttpError(int status, String title, String detail) {
    this(status, title, detail, null);
  }

  HttpError(int status, String title, String detail, List<Map<String, Object>> errors) {
    // No stack trace: these are answers, not bugs, and nothing should be able to print one.
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.errors = errors;
  }

  HttpError header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  Map<String, Object> body() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", (long) status);
    body.put("detail", getMessage());
    if (errors != null) body.put("errors", errors);
    return body;
  }
}
