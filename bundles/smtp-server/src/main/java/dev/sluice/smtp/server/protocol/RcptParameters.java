package dev.sluice.smtp.server.protocol;

import dev.sluice.api.mail.Notify;
import dev.sluice.api.mail.Reply;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The RCPT TO parameters of RFC 3461 (NOTIFY, ORCPT), or the reply that refuses them. */
public record RcptParameters(Set<Notify> notifyOn, String originalRecipient, Reply error) {

    public static RcptParameters parse(Map<String, String> params) {
        Set<Notify> notify = EnumSet.noneOf(Notify.class);
        String orcpt = null;
        for (Map.Entry<String, String> e : params.entrySet()) {
            switch (e.getKey()) {
                case "NOTIFY":
                    for (String word : e.getValue().split(",", -1)) {
                        try {
                            notify.add(Notify.valueOf(word.toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException ex) {
                            return error(501, "5.5.4", "Invalid NOTIFY value");
                        }
                    }
                    if (notify.contains(Notify.NEVER) && notify.size() > 1) {
                        return error(501, "5.5.4", "NOTIFY=NEVER cannot be combined");
                    }
                    break;
                case "ORCPT":
                    int semi = e.getValue().indexOf(';');
                    String decoded = semi <= 0 ? null : XText.decode(e.getValue().substring(semi + 1));
                    if (decoded == null || decoded.isEmpty() || decoded.length() > 500) {
                        return error(501, "5.5.4", "Invalid ORCPT value");
                    }
                    orcpt = e.getValue().substring(0, semi) + ";" + decoded;
                    break;
                default:
                    return error(555, "5.5.4", "Unsupported RCPT parameter " + e.getKey());
            }
        }
        return new RcptParameters(notify, orcpt, null);
    }

    private static RcptParameters error(int code, String status, String text) {
        return new RcptParameters(Set.of(), null, Reply.of(code, status, text));
    }
}
