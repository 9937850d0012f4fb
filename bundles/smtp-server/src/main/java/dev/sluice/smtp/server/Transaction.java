package dev.sluice.smtp.server;

import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.mail.ReversePath;
import dev.sluice.smtp.server.protocol.MailParameters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One mail transaction, from MAIL FROM to the end of DATA/BDAT LAST or RSET. */
final class Transaction {

    final ReversePath sender;
    final MailParameters params;
    final Instant startedAt;
    /** {@link System#nanoTime()} at MAIL, and at the end of the data (0 before): for the accept timings. */
    final long startNanos;
    long dataEndNanos;
    final List<Recipient> recipients = new ArrayList<>();
    /** Recipients a RcptFilter discarded: answered 250, never delivered. */
    int discarded;
    MessageReception reception;
    /** Once a BDAT of this transaction failed, the reply every later chunk gets (RFC 3030 §2). */
    Reply chunkFailure;
    boolean chunking;

    Transaction(ReversePath sender, MailParameters params, Instant startedAt, long startNanos) {
        this.sender = sender;
        this.params = params;
        this.startedAt = startedAt;
        this.startNanos = startNanos;
    }

    void abort() {
        if (reception != null) {
            reception.abort();
            reception = null;
        }
    }
}
