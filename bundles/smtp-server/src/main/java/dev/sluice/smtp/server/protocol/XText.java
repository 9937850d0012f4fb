package dev.sluice.smtp.server.protocol;

/** RFC 3461 §4 xtext: printable ASCII with {@code +HH} escapes. */
final class XText {

    private XText() {
    }

    /** The decoded text, or null when the input is not valid xtext or decodes to a control character. */
    static String decode(String xtext) {
        StringBuilder out = new StringBuilder(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    return null;
                }
                int hi = Character.digit(xtext.charAt(i + 1), 16);
                int lo = Character.digit(xtext.charAt(i + 2), 16);
                if (hi < 0 || lo < 0 || Character.isLowerCase(xtext.charAt(i + 1))
                        || Character.isLowerCase(xtext.charAt(i + 2))) {
                    return null;
                }
                char decoded = (char) (hi * 16 + lo);
                if (decoded < 0x20 || decoded > 0x7e) {
                    return null;
                }
                out.append(decoded);
                i += 2;
            } else if (c < 0x21 || c > 0x7e || c == '=') {
                return null;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
