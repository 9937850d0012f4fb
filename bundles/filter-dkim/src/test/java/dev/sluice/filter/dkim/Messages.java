package dev.sluice.filter.dkim;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test messages with the shapes that break naive DKIM signers. */
final class Messages {

    private Messages() {
    }

    static final String RECEIVED = "Received: from client.example.org (client.example.org [192.0.2.7])\r\n"
            + "\tby mta.example.com (Sluice) with ESMTPS id Q1; Mon, 2 Jun 2025 10:00:00 +0000\r\n";

    static Map<String, byte[]> small() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("plain", utf8(RECEIVED + "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\n"
                + "Subject: Hello\r\nDate: Mon, 2 Jun 2025 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nHello Bob.\r\n"));
        m.put("folded", utf8("From: \"Doe, Jane\" <jane@example.com>\r\n"
                + "To: one@example.net,\r\n\ttwo@example.net,  \r\n  three@example.net\r\n"
                + "Cc: four@example.net\r\nSubject:   A   subject\tthat is\r\n folded \t over\r\n\tthree lines  \r\n"
                + "List-Unsubscribe: <https://example.com/u/1>,\r\n <mailto:u@example.com?subject=1>\r\n"
                + "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
                + "Content-Type: text/plain;\r\n\tcharset=utf-8\r\n\r\nline one  \r\n\tindented\tline\r\n"));
        m.put("eight-bit", utf8("From: =?utf-8?q?J=C3=BCrgen?= <juergen@example.com>\r\nTo: b@example.net\r\n"
                + "Subject: Gr\u00fc\u00dfe aus K\u00f6ln \u2014 caf\u00e9\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Sch\u00f6ne Gr\u00fc\u00dfe, \u65e5\u672c\u8a9e, \u00e9t\u00e9 \t \r\n\u00a0non-breaking\r\n"));
        m.put("empty-body", utf8("From: alice@example.com\r\nTo: b@example.net\r\nSubject: nothing\r\n\r\n"));
        m.put("trailing-lines", utf8("From: alice@example.com\r\nTo: b@example.net\r\nTo: c@example.net\r\n"
                + "Subject: trailing\r\n\r\n\r\nbody  \r\n \t\r\n\r\n\r\n"));
        m.put("no-final-crlf", utf8("From: alice@example.com\r\nSubject: last line\r\n\r\nno line end at the end"));
        return m;
    }

    /** A message of at least {@code bytes} bytes, written line by line (never held whole). */
    static Path large(Path file, long bytes) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("From: Bulk <news@example.com>\r\nTo: list@example.net\r\nSubject: big\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            long written = 0;
            for (int i = 0; written < bytes; i++) {
                String line = "line " + i + (i % 3 == 0 ? " \u00e4\u00f6\u00fc  \t" : " plain text") + (i % 7 == 0 ? "" : " x")
                        + "\r\n" + (i % 11 == 0 ? "\r\n" : "");
                w.write(line);
                written += line.length();
            }
            w.write("\r\n\r\n");
        }
        return file;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
