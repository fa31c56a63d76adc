package items;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Items ordered by (created_at, id): a keyset cursor names the last item seen, so pages stay
 * stable when items are created or deleted between requests.
 */
final class Store {
  record Key(String createdAt, String id) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byTime = createdAt.compareTo(other.createdAt);
      return byTime != 0 ? byTime : id.compareTo(other.id);
    }
  }

  record Item(String id, String name, long priceCents, String createdAt) {
    Map<String, Object> json() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      body.put("name", name);
      body.put("price_cents", priceCents);
      body.put("created_at", createdAt);
      return body;
    }
  }

  record Page(List<Item> items, boolean more) {}

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withResolverStyle(ResolverStyle.STRICT);
  private static final Pattern CURSOR_SHAPE = Pattern.compile("[A-Za-z0-9_-]{1,512}");

  private final TreeMap<Key, Item> sorted = new TreeMap<>();
  private final Map<String, Item> byId = new HashMap<>();

  synchronized Item create(String name, long priceCents) {
    // created_at is taken under the lock so insertion order never contradicts it.
    String createdAt = TIMESTAMP.format(LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
    Item item = new Item(UUID.randomUUID().toString(), name, priceCents, createdAt);
    sorted.put(new Key(createdAt, item.id()), item);
    byId.put(item.id(), item);
    return item;
  }

  synchronized Item get(String id) {
    return byId.get(id);
  }

  synchronized boolean delete(String id) {
    Item item = byId.remove(id);
    if (item == null) return false;
    sorted.remove(new Key(item.createdAt(), item.id()));
    return true;
  }

  synchronized Page page(Key after, int limit) {
    Iterator<Item> rest = (after == null ? sorted : sorted.tailMap(after, false)).values().iterator();
    List<Item> items = new ArrayList<>(limit);
    while (items.size() < limit && rest.hasNext()) items.add(rest.next());
    return new Page(items, rest.hasNext());
  }

  static String encodeCursor(Item item) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("c", item.createdAt());
    body.put("i", item.id());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** Accepts only what encodeCursor could have produced. */
  static Key decodeCursor(String cursor) throws HttpError {
    HttpError invalid = new HttpError(400, "Invalid cursor", "cursor is not one this server issued");
    if (!CURSOR_SHAPE.matcher(cursor).matches()) throw invalid;
    Object parsed;
    try {
      parsed = Json.parse(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | Json.ParseException e) {
      throw invalid;
    }
    if (!(parsed instanceof Map<?, ?> fields)) throw invalid;
    if (!(fields.get("c") instanceof String createdAt) || !(fields.get("i") instanceof String id)) throw invalid;
    try {
      if (!TIMESTAMP.format(TIMESTAMP.parse(createdAt)).equals(createdAt)) throw invalid;
    } catch (java.time.DateTimeException e) {
      throw invalid;
    }
    return new Key(createdAt, id);
  }
}
