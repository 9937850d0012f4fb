package dev.sluice.smtp.server;

/** Tracks CRLF discipline across BDAT chunks, which have no dot framing to do it for them. */
final class BareNewlineCheck {

    private boolean afterCr;

    /** False as soon as a bare CR or LF is seen. */
    boolean accept(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (afterCr != (b == '\n')) {
                return false;
            }
            afterCr = b == '\r';
        }
        return true;
    }

    /** False when the content ended on a CR. */
    boolean complete() {
        return !afterCr;
    }
}
