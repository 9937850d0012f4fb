package dev.sluice.api.mail;

/** The {@code BODY} parameter of MAIL FROM (RFC 6152, RFC 3030). */
public enum BodyType {
    SEVEN_BIT("7BIT"), EIGHT_BIT_MIME("8BITMIME"), BINARY_MIME("BINARYMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    /** @throws IllegalArgumentException for an unknown keyword */
    public static BodyType fromKeyword(String keyword) {
        for (BodyType type : values()) {
            if (type.keyword.equalsIgnoreCase(keyword)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown BODY type: " + keyword);
    }
}
