package dev.sluice.api.mail;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox {@code local-part@domain} as it travels in the SMTP envelope (RFC 5321 §4.1.2), including
 * internationalised addresses (RFC 6531) and address literals ({@code [192.0.2.1]}, {@code [IPv6:…]}).
 *
 * <p>The domain is kept as received; {@link #asciiDomain()} gives the A-label form used for DNS.
 * The local part is case-preserving (RFC 5321 §2.4); the domain compares case-insensitively.
 */
public record MailAddress(String localPart, String domain) {

    /** RFC 5321 §4.5.3.1.1 and §4.5.3.1.2. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    public static final int MAX_DOMAIN_OCTETS = 255;

    public MailAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        if (localPart.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        if (utf8Length(localPart) > MAX_LOCAL_PART_OCTETS) {
            throw new IllegalArgumentException("local part longer than 64 octets");
        }
        if (domain.isEmpty() || utf8Length(domain) > MAX_DOMAIN_OCTETS) {
            throw new IllegalArgumentException("domain empty or longer than 255 octets");
        }
        for (int i = 0; i < localPart.length(); i++) {
            char c = localPart.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("control character in local part");
            }
        }
        if (!isAddressLiteral(domain)) {
            validateDomain(domain);
        }
    }

    /**
     * Parses {@code local@domain} (no angle brackets). A quoted local part may contain {@code @}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static MailAddress parse(String address) {
        Objects.requireNonNull(address, "address");
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not local@domain: " + address);
        }
        return new MailAddress(address.substring(0, at), address.substring(at + 1));
    }

    /** True when the domain is an address literal in brackets. */
    public boolean isAddressLiteral() {
        return isAddressLiteral(domain);
    }

    /** True when either part has non-ASCII characters, so transport needs SMTPUTF8. */
    public boolean needsSmtpUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    /** The domain as lower-case A-labels (IDNA), the form used for DNS and for routing keys. */
    public String asciiDomain() {
        return toAsciiDomain(domain);
    }

    /** Converts a domain name to lower-case A-labels; address literals are returned unchanged. */
    public static String toAsciiDomain(String domain) {
        if (isAddressLiteral(domain)) {
            return domain;
        }
        String ascii = isAscii(domain) ? domain : IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        return ascii.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    private static boolean isAddressLiteral(String domain) {
        return domain.length() > 2 && domain.charAt(0) == '[' && domain.charAt(domain.length() - 1) == ']';
    }

    private static void validateDomain(String domain) {
        String ascii;
        try {
            ascii = isAscii(domain) ? domain : IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid internationalised domain: " + domain, e);
        }
        if (ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
            throw new IllegalArgumentException("invalid domain: " + domain);
        }
        for (String label : ascii.split("\\.")) {
            if (label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                throw new IllegalArgumentException("invalid domain label '" + label + "' in " + domain);
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '-' && c != '_') {
                    throw new IllegalArgumentException("invalid character '" + c + "' in domain " + domain);
                }
            }
        }
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }
}
