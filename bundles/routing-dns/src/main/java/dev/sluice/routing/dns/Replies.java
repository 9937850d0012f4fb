package dev.sluice.routing.dns;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.routing.Route;

/** Every routing failure Sluice reports, so that codes and enhanced codes stay consistent. */
final class Replies {

    private Replies() {
    }

    static Route.Failure nullMx(String domain) {
        return fail(556, "5.1.10", "Domain " + domain + " does not accept mail (null MX, RFC 7505)");
    }

    static Route.Failure noSuchDomain(String domain) {
        return fail(550, "5.1.2", "Domain " + domain + " does not exist (NXDOMAIN)");
    }

    static Route.Failure noMailHost(String domain) {
        return fail(550, "5.1.2", "Domain " + domain + " has neither MX nor address records");
    }

    static Route.Failure badDomain(String domain, String why) {
        return fail(550, "5.1.3", "Bad destination domain " + domain + ": " + why);
    }

    static Route.Failure dnsTrouble(String domain, String detail) {
        return fail(451, "4.4.3", "DNS lookup for " + domain + " failed temporarily: " + detail);
    }

    static Route.Failure noAddress(String domain, String hosts) {
        return fail(451, "4.4.4", "No mail host of " + domain + " has an address (" + hosts + ")");
    }

    static Route.Failure loop(String domain, String host) {
        return fail(550, "5.4.6", "Mail for " + domain + " loops back to this host (" + host + ")");
    }

    static Route.Failure stopping(String domain) {
        return fail(451, "4.3.0", "Routing for " + domain + " was interrupted by a restart");
    }

    static Route.Failure internalError(String domain, Throwable t) {
        return fail(451, "4.3.0", "Routing for " + domain + " failed: " + t);
    }

    private static Route.Failure fail(int code, String enhanced, String text) {
        return new Route.Failure(Reply.of(code, enhanced, printable(text)));
    }

    /** Domains and exception texts come from outside; a CR or LF in them must not break the reply. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && out.length() < 300; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
