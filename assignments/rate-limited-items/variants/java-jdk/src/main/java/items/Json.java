package items;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser and a writer, so the server needs nothing beyond the JDK.
 * Objects become LinkedHashMaps (the last of duplicate keys wins), arrays Lists, numbers
 * Doubles (JavaScript's number semantics, which the contract's limits are stated in).
 */
final class Json {
  static final class ParseException extends Exception {
    ParseException(String message) {
      super(message, null, false, false);
    }
  }

  /** Deeper documents are refused rather than risking the parser's stack. */
  private static final int MAX_DEPTH = 512;

  private final String text;
  private int at;

  private Json(String text) {
    this.text = text;
  }

  static Object parse(String text) throws ParseException {
    Json parser = new Json(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.at != text.length()) throw new ParseException("unexpected data after the document");
    return value;
  }

  private void skipWhitespace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      at++;
    }
  }

  private char peek() throws ParseException {
    if (at >= text.length()) throw new ParseException("unexpected end of the document");
    return text.charAt(at);
  }

  private void expect(char c) throws ParseException {
    if (peek() != c) throw new ParseException("expected '" + c + "'");
    at++;
  }

  private Object value(int depth) throws ParseException {
    if (depth > MAX_DEPTH) throw new ParseException("nested too deeply");
    char c = peek();
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw new ParseException("unexpected character");
    }
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!text.startsWith(word, at)) throw new ParseException("unexpected character");
    at += word.length();
    return value;
  }

  private Map<String, Object> object(int depth) throws ParseException {
    Map<String, Object> map = new LinkedHashMap<>();
    expect('{');
    skipWhitespace();
    if (peek() == '}') {
      at++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') throw new ParseException("expected a member name");
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      map.put(name, value(depth + 1));
      skipWhitespace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect('}');
      return map;
    }
  }

  private List<Object> array(int depth) throws ParseException {
    List<Object> list = new ArrayList<>();
    expect('[');
    skipWhitespace();
    if (peek() == ']') {
      at++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      if (peek() == ',') {
        at++;
        continue;
      }
      expect(']');
      return list;
    }
  }

  private String string() throws ParseException {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      char c = peek();
      at++;
      if (c == '"') return out.toString();
      if (c < 0x20) throw new ParseException("control character in a string");
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char escape = peek();
      at++;
      switch (escape) {
        case '"', '\\', '/' -> out.append(escape);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 > text.length()) throw new ParseException("short \\u escape");
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) throw new ParseException("bad \\u escape");
            code = code * 16 + digit;
          }
          at += 4;
          out.append((char) code);
        }
        default -> throw new ParseException("bad escape");
      }
    }
  }

  private Double number() throws ParseException {
    int start = at;
    if (peek() == '-') at++;
    if (peek() == '0') at++;
    else digits();
    if (at < text.length() && text.charAt(at) == '.') {
      at++;
      digits();
    }
    if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
      at++;
      if (peek() == '+' || peek() == '-') at++;
      digits();
    }
    return Double.parseDouble(text.substring(start, at));
  }

  private void digits() throws ParseException {
    char c = peek();
    if (c < '0' || c > '9') throw new ParseException("expected a digit");
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') at++;
  }

  /** JSON text for maps, lists, strings, numbers, booleans and null, as JSON.stringify writes it. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      writeString(s, out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) out.append(',');
        first = false;
        writeString(String.valueOf(entry.getKey()), out);
        out.append(':');
        write(entry.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) out.append(',');
        write(list.get(i), out);
      }
      out.append(']');
    } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
      out.append(value);
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
    }
  }

  private static void writeString(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
          boolean pairedLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
          // A lone surrogate cannot be written as UTF-8: escape it, as JSON.stringify does.
          if (c < 0x20 || (Character.isSurrogate(c) && !pairedHigh && !pairedLow)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
