package dev.sluice.smtp.server.protocol;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.DsnReturn;
import dev.sluice.api.mail.Reply;
import java.util.Map;

/**
 * The MAIL FROM parameters we support (RFC 1870 SIZE, RFC 6152/3030 BODY, RFC 6531 SMTPUTF8, RFC 3461 RET and
 * ENVID, RFC 4954 AUTH), or the reply that refuses them.
 */
public record MailParameters(long size, BodyType body, boolean smtpUtf8, DsnReturn ret, String envelopeId,
                             Reply error) {

    private static final int MAX_ENVID = 100;

    public static MailParameters parse(Map<String, String> params) {
        long size = 0;
        BodyType body = BodyType.SEVEN_BIT;
        boolean utf8 = false;
        DsnReturn ret = DsnReturn.UNSPECIFIED;
        String envid = null;
        for (Map.Entry<String, String> e : params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "SIZE":
                    if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
                        return error(501, "5.5.4", "Invalid SIZE value");
                    }
                    size = Long.parseLong(v);
                    break;
                case "BODY":
                    try {
                        body = BodyType.fromKeyword(v);
                    } catch (IllegalArgumentException ex) {
                        return error(501, "5.5.4", "Invalid BODY value");
                    }
                    break;
                case "SMTPUTF8":
                    if (!v.isEmpty()) {
                        return error(501, "5.5.4", "SMTPUTF8 takes no value");
                    }
                    utf8 = true;
                    break;
                case "RET":
                    if (v.equalsIgnoreCase("FULL")) {
                        ret = DsnReturn.FULL;
                    } else if (v.equalsIgnoreCase("HDRS")) {
                        ret = DsnReturn.HEADERS;
                    } else {
                        return error(501, "5.5.4", "Invalid RET value");
                    }
                    break;
                case "ENVID":
                    envid = XText.decode(v);
                    if (envid == null || envid.isEmpty() || envid.length() > MAX_ENVID) {
                        return error(501, "5.5.4", "Invalid ENVID value");
                    }
                    break;
                case "AUTH":
                    // RFC 4954 §5: the server may ignore the AUTH parameter of an untrusted client; we always do.
                    break;
                default:
                    return error(555, "5.5.4", "Unsupported MAIL parameter " + e.getKey());
            }
        }
        return new MailParameters(size, body, utf8, ret, envid, null);
    }

    private static MailParameters error(int code, String status, String text) {
        return new MailParameters(0, BodyType.SEVEN_BIT, false, DsnReturn.UNSPECIFIED, null,
                Reply.of(code, status, text));
    }
}
