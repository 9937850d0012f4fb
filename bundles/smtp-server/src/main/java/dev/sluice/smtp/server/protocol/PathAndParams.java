package dev.sluice.smtp.server.protocol;

/** Splits {@code <path> params} after MAIL FROM: / RCPT TO:, honouring quoted local parts. */
record PathAndParams(String path, String params) {

    /** Null when there is no well-formed angle-bracketed path. */
    static PathAndParams split(String text) {
        int i = 0;
        // A space after the colon violates RFC 5321 but common clients send it; accepting it is harmless.
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != '<') {
            return null;
        }
        int start = i + 1;
        boolean quoted = false;
        for (int j = start; j < text.length(); j++) {
            char c = text.charAt(j);
            if (quoted && c == '\\') {
                j++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '>' && !quoted) {
                String rest = text.substring(j + 1);
                if (!rest.isEmpty() && rest.charAt(0) != ' ') {
                    return null;
                }
                return new PathAndParams(stripSourceRoute(text.substring(start, j)), rest.strip());
            } else if (c == '<' && !quoted) {
                return null;
            }
        }
        return null;
    }

    /** RFC 5321 §4.1.2 says a source route must be accepted and ignored. */
    private static String stripSourceRoute(String path) {
        if (path.startsWith("@")) {
            int colon = path.indexOf(':');
            return colon < 0 ? "\u0000" : path.substring(colon + 1);
        }
        return path;
    }
}
