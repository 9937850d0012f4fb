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
 * whose HELP and TYPE came last, families appear once, counters end in _total, values are numbers; a histogram's
 * samples are its _bucket series (cumulative, le ascending, ending at +Inf = _count), _sum and _count.
 */
final class Exposition {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LE = Pattern.compile("(.*?),?le=([^,}]+)}$");
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
                assertTrue(parts[3].equals("counter") || parts[3].equals("gauge") || parts[3].equals("histogram"), line);
                if (parts[3].equals("counter")) {
                    assertTrue(family.endsWith("_total"), "counter names end in _total: " + family);
                }
                e.types.put(family, parts[3]);
            } else {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    fail("not a sample line: " + line);
                }
                assertEquals(family, "histogram".equals(e.types.get(family))
                        ? m.group(1).replaceFirst("_(bucket|sum|count)$", "") : m.group(1),
                        "sample of the current family: " + line);
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
        e.checkHistograms();
        return e;
    }

    /** Per histogram series: bounds ascend, counts never drop, the last bucket is +Inf and equals _count. */
    private void checkHistograms() {
        Map<String, double[]> last = new HashMap<>(); // series (labels without le) → {bound, count}
        for (Map.Entry<String, Double> s : samples.entrySet()) {
            String key = s.getKey();
            if (!key.contains("_bucket{")) {
                continue;
            }
            Matcher le = LE.matcher(key);
            assertTrue(le.matches(), "bucket without le: " + key);
            String series = le.group(1).replace("_bucket{", "{");
            double bound = Double.parseDouble(le.group(2).replace("+Inf", "Infinity"));
            double[] previous = last.get(series);
            if (previous != null) {
                assertTrue(bound > previous[0], "le ascends: " + key);
                assertTrue(s.getValue() >= previous[1], "buckets are cumulative: " + key);
            }
            last.put(series, new double[] {bound, s.getValue()});
        }
        last.forEach((series, end) -> {
            assertEquals(Double.POSITIVE_INFINITY, end[0], "last bucket is +Inf: " + series);
            int brace = series.indexOf('{');
            String labels = series.substring(brace + 1);
            String count = series.substring(0, brace) + "_count" + (labels.isEmpty() ? "" : "{" + labels + "}");
            assertEquals(end[1], value(count), "+Inf equals _count: " + series);
        });
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
