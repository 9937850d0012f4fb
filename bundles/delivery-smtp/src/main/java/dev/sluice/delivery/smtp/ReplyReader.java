package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Turns the bytes a server sends into replies. Anything that is not a well-formed RFC 5321 reply (no code,
 * overlong line, too many lines, a continuation with another code) throws, so the session ends instead of
 * guessing. Not thread-safe: fed by the session's I/O processor only.
 */
final class ReplyReader {
    private static final Pattern LINE = Pattern.compile("([2-5][0-9][0-9])([ -].*)?", Pattern.DOTALL);
    private static final Pattern ENHANCED = Pattern.compile("([245]\\.[0-9]{1,3}\\.[0-9]{1,3})( (.*))?",
            Pattern.DOTALL);

    private final int maxLineLength;
    private final int maxLines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private int code;

    ReplyReader(int maxLineLength, int maxLines) {
        this.maxLineLength = maxLineLength;
        this.maxLines = maxLines;
    }

    /** Feeds bytes; every complete reply goes to the sink in order. */
    void feed(byte[] bytes, int offset, int length, Consumer<Reply> sink) throws MalformedReplyException {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                Reply reply = endOfLine();
                if (reply != null) {
                    sink.accept(reply);
                }
            } else if (line.size() >= maxLineLength) {
                throw new MalformedReplyException("reply line longer than " + maxLineLength + " bytes");
            } else {
                line.write(b);
            }
        }
    }

    /** True while a reply is partly received: a STARTTLS 220 must not be followed by buffered clear text. */
    boolean hasPartialInput() {
        return line.size() > 0 || !lines.isEmpty();
    }

    private Reply endOfLine() throws MalformedReplyException {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        var m = LINE.matcher(text);
        if (!m.matches()) {
            throw new MalformedReplyException("malformed reply line: " + printable(text));
        }
        int lineCode = Integer.parseInt(m.group(1));
        if (!lines.isEmpty() && lineCode != code) {
            throw new MalformedReplyException("reply code changed within a multi-line reply: " + printable(text));
        }
        code = lineCode;
        String rest = m.group(2) == null ? "" : m.group(2);
        lines.add(rest.isEmpty() ? "" : rest.substring(1));
        if (lines.size() > maxLines) {
            throw new MalformedReplyException("reply longer than " + maxLines + " lines");
        }
        if (rest.startsWith("-")) {
            return null;
        }
        Reply reply = toReply(code, lines);
        lines.clear();
        return reply;
    }

    private static Reply toReply(int code, List<String> lines) {
        String enhanced = null;
        var m = ENHANCED.matcher(lines.get(0));
        if (m.matches() && (m.group(1).charAt(0) - '0' == code / 100)) {
            enhanced = m.group(1);
        }
        List<String> text = new ArrayList<>(lines.size());
        for (String l : lines) {
            if (enhanced != null && l.startsWith(enhanced)) {
                l = l.substring(enhanced.length()).stripLeading();
            }
            text.add(clean(l));
        }
        return new Reply(code, enhanced, String.join("\n", text));
    }

    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 && c != '\t' ? '?' : c);
        }
        return b.toString();
    }

    private static String printable(String s) {
        String c = clean(s);
        return c.length() > 80 ? c.substring(0, 80) + "..." : c;
    }

    static final class MalformedReplyException extends Exception {
        MalformedReplyException(String message) {
            super(message);
        }
    }
}
