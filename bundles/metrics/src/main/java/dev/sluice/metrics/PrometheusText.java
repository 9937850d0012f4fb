package dev.sluice.metrics;

/**
 * The Prometheus text exposition format (version 0.0.4), written directly: every family gets its HELP
 * and TYPE lines followed by all of its samples, label values and help texts escaped as the format says.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);
    private final java.util.Set<String> families = new java.util.HashSet<>();

    /** Starts a family; its samples must follow before the next family starts. */
    PrometheusText family(String name, String type, String help) {
        families.add(name);
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** @param labels name, value, name, value… */
    PrometheusText sample(String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                out.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        return append(value);
    }

    /** True once the family was started: a second one of the same name would make the scrape invalid. */
    boolean has(String family) {
        return families.contains(family);
    }

    private PrometheusText append(double value) {
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** A sample value or {@code le} bound: integral values without a fraction, the rest as Java prints them. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        } else if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    static String escapeLabel(String value) {
        return escapeHelp(value == null ? "" : value).replace("\"", "\\\"");
    }

    static String escapeHelp(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
