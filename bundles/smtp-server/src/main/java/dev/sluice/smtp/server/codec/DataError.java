package dev.sluice.smtp.server.codec;

/** Why a DATA body is refused after its terminator. */
public enum DataError {
    /** SMTP smuggling class (CVE-2023-51764): only CRLF ends a line. */
    BARE_CR_OR_LF,
    /** RFC 5321 §4.5.3.1.6. */
    LINE_TOO_LONG
}
