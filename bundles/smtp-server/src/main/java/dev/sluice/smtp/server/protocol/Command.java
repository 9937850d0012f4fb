package dev.sluice.smtp.server.protocol;

import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.mail.ReversePath;
import java.util.Map;

/** One parsed SMTP command line. Produced by {@link CommandParser}; carries no session state. */
public sealed interface Command {

    record Helo(String domain, boolean extended) implements Command {
    }

    record Mail(ReversePath sender, Map<String, String> params) implements Command {
    }

    /** {@code recipient} is null only for the bare {@code <Postmaster>} of RFC 5321 §4.5.1. */
    record Rcpt(MailAddress recipient, Map<String, String> params) implements Command {
        public boolean isPostmaster() {
            return recipient == null;
        }
    }

    record Data() implements Command {
    }

    record Bdat(long size, boolean last) implements Command {
    }

    record Rset() implements Command {
    }

    record Noop() implements Command {
    }

    record Quit() implements Command {
    }

    record Help() implements Command {
    }

    record Vrfy(String argument) implements Command {
    }

    record StartTls() implements Command {
    }

    /** {@code initialResponse} is null when absent, empty for the RFC 4954 "=" (empty response). */
    record Auth(String mechanism, String initialResponse) implements Command {
    }

    /** A line that is not a valid command; {@code reply} says why (500, 501, 502, 555). */
    record Invalid(Reply reply) implements Command {
    }
}
