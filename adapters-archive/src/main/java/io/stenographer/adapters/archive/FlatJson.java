package io.stenographer.adapters.archive;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the local archive's sidecar files: one flat object whose values are strings,
 * integers or booleans. Written with a fixed key order, one key per line, so the files are easy to read
 * by eye and with {@code jq}.
 */
final class FlatJson {

    private FlatJson() {
    }

    static String write(Map<String, ?> fields) {
        StringBuilder out = new StringBuilder("{\n");
        int i = 0;
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            out.append("  ").append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            if (v instanceof Number || v instanceof Boolean) {
                out.append(v);
            } else {
                out.append(quote(String.valueOf(v)));
            }
            out.append(++i < fields.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    /** Parses a flat object; values come back as their text (strings unescaped). */
    static Map<String, String> parse(String json) {
        Parser p = new Parser(json);
        Map<String, String> result = new LinkedHashMap<>();
        p.skipWhitespace();
        p.expect('{');
        p.skipWhitespace();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skipWhitespace();
                String key = p.string();
                p.skipWhitespace();
                p.expect(':');
                p.skipWhitespace();
                String value = p.peek() == '"' ? p.string() : p.bare();
                if (result.put(key, value) != null) {
                    throw new IllegalArgumentException("duplicate key " + key);
                }
                p.skipWhitespace();
                char c = p.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + (p.pos - 1));
                }
            }
        }
        p.skipWhitespace();
        if (p.pos != json.length()) {
            throw new IllegalArgumentException("trailing data at " + p.pos);
        }
        return result;
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
            }
        }

        void skipWhitespace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                        out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        String bare() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '-'
                    || s.charAt(pos) == '.' || s.charAt(pos) == '+')) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a value at " + pos);
            }
            return s.substring(start, pos);
        }
    }
}
