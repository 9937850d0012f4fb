package dev.sluice.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text format back, line by line, and checks its rules: every sample belongs to the family
 * whose HELP and TYPE came last, families appear once, counters end in _total, values are numbers.
 */
final class Exposition {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    final Map<String, String> types = new HashMap<>();
    final Map<String, String> help = new HashMap<>();
    /** "name{a=x,b=y}" (labels unescaped, in order) → value. */
    final Map<String, Double> samples = new LinkedHashMap<>();

    static Exposition parse(String text) {
        Exposition e = new Exposition();
        String family = null;
        assertTrue(text.endsWith("\n"), "the last line ends with a newline");
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                family = parts[2];
                assertTrue(e.help.put(family, parts.length > 3 ? parts[3] : "") == null, "family twice: " + family);
            } else if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                assertEquals(family, parts[2], "TYPE follows its HELP");
                assertTrue(parts[3].equals("counter") || parts[3].equals("gauge"), line);
                if (parts[3].equals("counter")) {
                    assertTrue(family.endsWith("_total"), "counter names end in _total: " + family);
                }
                e.types.put(family, parts[3]);
            } else {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    fail("not a sample line: " + line);
                }
                assertEquals(family, m.group(1), "sample of the current family: " + line);
                StringBuilder key = new StringBuilder(m.group(1));
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    key.append('{');
                    int end = 0;
                    while (l.find() && l.start() == end) {
                        key.append(end == 0 ? "" : ",").append(l.group(1)).append('=').append(unescape(l.group(2)));
                        end = l.end();
                    }
                    assertEquals(m.group(3).length(), end, "labels parse completely: " + line);
                    key.append('}');
                }
                e.samples.put(key.toString(), Double.parseDouble(m.group(4).replace("+Inf", "Infinity")));
            }
        }
        return e;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char n = s.charAt(++i);
                out.append(n == 'n' ? '\n' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    double value(String key) {
        Double v = samples.get(key);
        if (v == null) {
            fail("no sample " + key + " in " + samples.keySet());
        }
        return v;
    }
}
