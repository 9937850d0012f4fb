package dev.sluice.delivery.smtp;

import java.util.Arrays;

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
        if (length == 0) {
            return new byte[0];
        }
        // a dot needs doubling only at a line start: find those, then copy the runs between them in bulk
        int dots = lineStart && in[0] == '.' ? 1 : 0;
        for (int i = 0; i < length - 1; i++) {
            if (in[i] == '\n' && in[i + 1] == '.') {
                dots++;
            }
        }
        byte[] out;
        if (dots == 0) {
            out = Arrays.copyOf(in, length);
        } else {
            out = new byte[length + dots];
            int o = 0;
            int from = 0;
            if (lineStart && in[0] == '.') {
                out[o++] = '.';
            }
            for (int i = 0; i < length - 1; i++) {
                if (in[i] == '\n' && in[i + 1] == '.') {
                    int run = i + 1 - from;
                    System.arraycopy(in, from, out, o, run);
                    o += run;
                    out[o++] = '.';
                    from = i + 1;
                }
            }
            System.arraycopy(in, from, out, o, length - from);
        }
        beforeLast = length >= 2 ? in[length - 2] : last;
        last = in[length - 1];
        lineStart = last == '\n';
        return out;
    }

    /** The end-of-data marker, completing a last line that lacks its CRLF. */
    byte[] terminator() {
        boolean endsWithCrlf = beforeLast == '\r' && last == '\n';
        return (endsWithCrlf ? ".\r\n" : "\r\n.\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
