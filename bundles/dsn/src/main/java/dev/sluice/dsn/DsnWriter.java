package dev.sluice.dsn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Writes a whole DSN: the RFC 5322 header, then {@code multipart/report; report-type=delivery-status}
 * (RFC 6522) with the text, the {@code message/delivery-status} part (RFC 3464) and the returned original.
 *
 * <p>Written by hand rather than with a MIME library: the structure is fixed and small, every field we
 * write is already sanitised to 7-bit (see {@link MailText}), the original must be streamed from the queue
 * straight into the queue's writer (MIME libraries tend to buffer a part whole), and no extra runtime bundle
 * is needed. The tests check the output with an independent parser (Python's {@code email} package).
 */
final class DsnWriter {

    /** The top-level header fields that vary per DSN. */
    record Header(String from, String to, String subject, Instant date, String messageId) {
    }

    private DsnWriter() {
    }

    /**
     * @param boundary random enough that it cannot occur in the returned original (which we do not scan, to
     *     avoid reading a large message twice)
     */
    static void write(OutputStream out, Header header, String boundary, String text, String status,
                      ReturnedOriginal original) throws IOException {
        boolean textEightBit = !MailText.isAscii(text);
        boolean eightBit = textEightBit || original.eightBit();
        StringBuilder head = new StringBuilder(1024);
        head.append("From: ").append(header.from()).append("\r\n");
        head.append("To: ").append(header.to()).append("\r\n");
        head.append("Subject: ").append(header.subject()).append("\r\n");
        head.append("Date: ").append(MailText.date(header.date())).append("\r\n");
        head.append("Message-ID: ").append(header.messageId()).append("\r\n");
        // RFC 3834: an automatic response; responders and vacation programs must not answer it.
        head.append("Auto-Submitted: auto-replied\r\n");
        head.append("MIME-Version: 1.0\r\n");
        head.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n");
        if (eightBit) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\nThis is a MIME-encapsulated message.\r\n");

        part(head, boundary, "text/plain; charset=" + (textEightBit ? "utf-8" : "us-ascii"), "Notification",
                textEightBit);
        head.append(text);
        part(head, boundary, "message/delivery-status", "Delivery report", false);
        head.append(status);
        if (original.kind() != ReturnedOriginal.Kind.NONE) {
            part(head, boundary, original.contentType(), original.kind() == ReturnedOriginal.Kind.FULL
                    ? "Undelivered message" : "Undelivered message headers", original.eightBit());
        }
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        original.writeTo(out);
        // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1), so the parts keep their bytes.
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void part(StringBuilder out, String boundary, String type, String description, boolean eightBit) {
        out.append("\r\n--").append(boundary).append("\r\n");
        out.append("Content-Type: ").append(type).append("\r\n");
        out.append("Content-Description: ").append(description).append("\r\n");
        if (eightBit) {
            out.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        out.append("\r\n");
    }
}
