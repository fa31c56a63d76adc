package items;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fixed window per identity. Check and increment happen under one lock, so concurrent
 * requests cannot race past the budget.
 */
final class RateLimiter {
  record Verdict(boolean limited, Map<String, String> headers) {}

  private static final class Window {
    long count;
    final long resetAtNanos;

    Window(long resetAtNanos) {
      this.resetAtNanos = resetAtNanos;
    }
  }

  private final long max;
  private final long windowNanos;
  private final Map<String, Window> windows = new HashMap<>();

  RateLimiter(long max, long windowMs) {
    this.max = max;
    this.windowNanos = windowMs * 1_000_000L;
  }

  Verdict hit(String identity) {
    long now = System.nanoTime();
    long count;
    long resetAt;
    synchronized (this) {
      Window window = windows.get(identity);
      if (window == null || window.resetAtNanos - now <= 0) {
        window = new Window(now + windowNanos);
        windows.put(identity, window);
      }
      count = ++window.count;
      resetAt = window.resetAtNanos;
    }
    long resetSeconds = Math.max(1, (resetAt - now + 999_999_999L) / 1_000_000_000L);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("RateLimit-Limit", Long.toString(max));
    headers.put("RateLimit-Remaining", Long.toString(Math.max(0, max - count)));
    headers.put("RateLimit-Reset", Long.toString(resetSeconds));
    if (count > max) {
      headers.put("Retry-After", Long.toString(resetSeconds));
      return new Verdict(true, headers);
    }
    return new Verdict(false, headers);
  }

  /** Drops expired windows so idle identities do not accumulate. */
  synchronized void sweep() {
    long now = System.nanoTime();
    windows.values().removeIf(window -> window.resetAtNanos - now <= 0);
  }
}
