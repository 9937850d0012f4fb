package dev.sluice.delivery.smtp;

/**
 * SMTP transparency (RFC 5321 §4.5.2) over a stream of chunks. A line start is any byte after LF, bare or
 * not: stuffing after a bare LF is harmless for a strict receiver and stops a lenient one from ending DATA
 * early (SMTP smuggling).
 */
final class DotStuffer {
    private boolean lineStart = true;
    private int last = -1;
    private int beforeLast = -1;

    byte[] stuff(byte[] in, int length) {
        int dots = 0;
        boolean start = lineStart;
        for (int i = 0; i < length; i++) {
            if (start && in[i] == '.') {
                dots++;
            }
            start = in[i] == '\n';
        }
        byte[] out = new byte[length + dots];
        int o = 0;
        for (int i = 0; i < length; i++) {
            byte b = in[i];
            if (lineStart && b == '.') {
                out[o++] = '.';
            }
            out[o++] = b;
            lineStart = b == '\n';
            beforeLast = last;
            last = b;
        }
        return out;
    }

    /** The end-of-data marker, completing a last line that lacks its CRLF. */
    byte[] terminator() {
        boolean endsWithCrlf = beforeLast == '\r' && last == '\n';
        return (endsWithCrlf ? ".\r\n" : "\r\n.\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
