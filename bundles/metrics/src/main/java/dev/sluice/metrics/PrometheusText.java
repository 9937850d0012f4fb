package dev.sluice.metrics;

/**
 * The Prometheus text exposition format (version 0.0.4), written directly: every family gets its HELP
 * and TYPE lines followed by all of its samples, label values and help texts escaped as the format says.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    /** Starts a family; its samples must follow before the next family starts. */
    PrometheusText family(String name, String type, String help) {
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

    private PrometheusText append(double value) {
        out.append(' ');
        if (Double.isNaN(value)) {
            out.append("NaN");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
        return this;
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
