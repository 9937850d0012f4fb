package dev.sluice.webconsole;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one delivery log line (a flat JSON object of strings, numbers and nulls). Anything else
 * gives an empty map, and the page shows the raw line.
 */
final class LogLine {

    private LogLine() {
    }

    static Map<String, String> parse(String line) {
        Map<String, String> fields = new HashMap<>();
        Cursor c = new Cursor(line.strip());
        if (!c.eat('{')) {
            return Map.of();
        }
        try {
            while (!c.eat('}')) {
                c.eat(',');
                String key = c.string();
                if (!c.eat(':')) {
                    return Map.of();
                }
                fields.put(key, c.peek() == '"' ? c.string() : c.bare());
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return Map.of();
        }
        return fields;
    }

    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            while (Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return s.charAt(i);
        }

        boolean eat(char c) {
            if (i < s.length() && peek() == c) {
                i++;
                return true;
            }
            return false;
        }

        String bare() {
            int start = i;
            while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            String value = s.substring(start, i).strip();
            return "null".equals(value) ? null : value;
        }

        String string() {
            if (!eat('"')) {
                throw new IllegalArgumentException("string expected at " + i);
            }
            StringBuilder out = new StringBuilder();
            for (char c = s.charAt(i++); c != '"'; c = s.charAt(i++)) {
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        case 'r' -> out.append('\r');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
