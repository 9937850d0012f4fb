package dev.sluice.filter.dkim;

import java.util.ArrayList;
import java.util.List;

/** The DNS TXT record that publishes a key, in zone-file form. */
final class DnsRecord {

    /** A character-string in a TXT record holds at most 255 bytes (RFC 1035 §3.3); longer text is split. */
    static final int MAX_STRING = 255;

    private DnsRecord() {
    }

    static String name(String selector, String domain) {
        return selector + "._domainkey." + domain + ".";
    }

    /** {@code s1._domainkey.example.com. IN TXT ( "v=DKIM1; k=rsa; p=…" "…" )}. */
    static String zoneLine(String selector, String domain, String text) {
        return name(selector, domain) + " IN TXT ( " + String.join(" ", strings(text)) + " )";
    }

    static List<String> strings(String text) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += MAX_STRING) {
            out.add('"' + text.substring(i, Math.min(text.length(), i + MAX_STRING)) + '"');
        }
        return out;
    }
}
