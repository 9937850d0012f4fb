package dev.sluice.smtp.server;

import dev.sluice.api.filter.MailFromRequest;
import dev.sluice.api.filter.RcptRequest;
import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.MailAddress;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.queue.QueueException;
import dev.sluice.api.ratelimit.InboundLimiter;
import dev.sluice.smtp.server.codec.DataError;
import dev.sluice.smtp.server.protocol.Command;
import dev.sluice.smtp.server.protocol.MailParameters;
import dev.sluice.smtp.server.protocol.RcptParameters;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MAIL, RCPT, DATA and BDAT: the grammar and sequencing first, then policy (limits, relay, filters). */
final class TransactionCommands {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionCommands.class);

    private final SmtpSession s;
    private Transaction tx;
    private Reply chunkRefusal;
    private boolean chunkLast;
    private long chunkSize;

    TransactionCommands(SmtpSession session) {
        this.s = session;
    }

    /** A message body is being (or, between BDAT chunks, may still be) written to the queue. */
    boolean receiving() {
        return tx != null && tx.reception != null;
    }

    boolean active() {
        return tx != null;
    }

    void reset() {
        if (tx != null) {
            tx.abort();
            tx = null;
        }
    }

    void mail(Command.Mail c) {
        long startNanos = System.nanoTime();
        ListenerSettings settings = s.ctx.settings();
        if (s.helo == null) {
            s.bad(Replies.BAD_SEQUENCE_HELO);
            return;
        } else if (tx != null) {
            s.bad(Reply.of(503, "5.5.1", "Nested MAIL command"));
            return;
        } else if (!s.extended && !c.params().isEmpty()) {
            s.bad(Replies.PARAMS_NEED_EHLO);
            return;
        }
        MailParameters p = MailParameters.parse(c.params());
        Reply refusal = p.error();
        if (refusal == null) {
            refusal = mailPolicy(c, p, settings);
        }
        if (refusal != null) {
            s.reply(refusal);
            return;
        }
        MailFromRequest request = new MailFromRequest(s.identity(), c.sender(), c.params());
        s.await(s.ctx.filters().run(s.ctx.services().mailFilters, f -> f.onMailFrom(request)), outcome -> {
            if (outcome.refusal() != null) {
                s.reply(outcome.refusal());
            } else {
                tx = new Transaction(c.sender(), p, s.ctx.clock().instant(), startNanos);
                s.reply(Reply.of(250, "2.1.0", "Sender OK"));
            }
        });
    }

    private Reply mailPolicy(Command.Mail c, MailParameters p, ListenerSettings settings) {
        if (settings.requireAuth() && s.authUser == null) {
            return Replies.AUTH_REQUIRED;
        } else if (p.body() == BodyType.BINARY_MIME) {
            return Reply.of(555, "5.5.4", "BINARYMIME not supported");
        } else if (p.size() > settings.maxMessageSize()) {
            return MessageReception.TOO_BIG;
        } else if (!p.smtpUtf8() && c.sender().address().map(MailAddress::needsSmtpUtf8).orElse(false)) {
            return Replies.UTF8_REQUIRED;
        } else if (s.ctx.services().queue() == null) {
            return MessageReception.QUEUE_FAILED;
        }
        InboundLimiter limiter = s.ctx.services().limiter();
        Optional<Reply> limited = limiter == null ? Optional.empty() : limiter.admitMessage(s.identity());
        return limited.orElse(null);
    }

    void rcpt(Command.Rcpt c) {
        if (tx == null) {
            s.bad(Replies.BAD_SEQUENCE_MAIL);
            return;
        } else if (!s.extended && !c.params().isEmpty()) {
            s.bad(Replies.PARAMS_NEED_EHLO);
            return;
        }
        RcptParameters p = RcptParameters.parse(c.params());
        if (p.error() != null) {
            s.reply(p.error());
            return;
        }
        MailAddress address = c.isPostmaster() ? new MailAddress("postmaster", s.ctx.settings().hostname())
                : c.recipient();
        Recipient recipient = new Recipient(address, p.notifyOn(), p.originalRecipient());
        Reply refusal = rcptPolicy(recipient);
        if (refusal != null) {
            s.reply(refusal);
            return;
        }
        Transaction t = tx;
        RcptRequest request = new RcptRequest(s.identity(), t.sender, recipient, t.recipients.size());
        s.await(s.ctx.filters().run(s.ctx.services().rcptFilters, f -> f.onRcpt(request)), outcome -> {
            if (outcome.refusal() != null) {
                s.reply(outcome.refusal());
                return;
            }
            if (outcome.discard()) {
                t.discarded++;
            } else {
                t.recipients.add(recipient);
            }
            s.reply(Reply.of(250, "2.1.5", "Recipient OK"));
        });
    }

    private Reply rcptPolicy(Recipient recipient) {
        if (!tx.params.smtpUtf8() && recipient.address().needsSmtpUtf8()) {
            return Replies.UTF8_REQUIRED;
        } else if (tx.recipients.size() + tx.discarded >= s.ctx.settings().maxRecipients()) {
            return Reply.of(452, "4.5.3", "Too many recipients");
        } else if (s.authUser == null && !s.ctx.settings().isTrusted(s.clientAddress())) {
            return Replies.RELAY_DENIED;
        }
        InboundLimiter limiter = s.ctx.services().limiter();
        return limiter == null ? null : limiter.admitRecipient(s.identity()).orElse(null);
    }

    void data() {
        Reply refusal = startReception(false);
        if (refusal != null) {
            if (refusal.code() == 503) {
                s.bad(refusal);
            } else {
                s.reply(refusal);
            }
            return;
        }
        s.reply(Reply.of(354, null, "End data with <CR><LF>.<CR><LF>"));
        s.decoder.dataMode();
        s.conn.idleTimeout(s.ctx.settings().dataTimeoutSeconds());
    }

    /** Null when the body may come; otherwise the refusal. */
    private Reply startReception(boolean chunking) {
        if (tx == null) {
            return Replies.BAD_SEQUENCE_MAIL;
        } else if (tx.chunking && !chunking) {
            return Reply.of(503, "5.5.1", "DATA not allowed after BDAT");
        } else if (tx.recipients.isEmpty() && tx.discarded == 0) {
            return Replies.NO_RECIPIENTS;
        } else if (tx.reception != null || tx.recipients.isEmpty()) {
            return null; // a later chunk, or every recipient discarded: read and drop
        }
        Envelope envelope = new Envelope(tx.sender, tx.recipients, tx.params.body(), tx.params.smtpUtf8(),
                tx.params.size(), tx.params.ret(), tx.params.envelopeId(), s.identity(), tx.startedAt);
        try {
            tx.reception = MessageReception.open(s.ctx, envelope, s.extended, chunking);
            return null;
        } catch (QueueException e) {
            return e.reply();
        }
    }

    void onData(byte[] bytes, int offset, int length) {
        if (tx != null && tx.reception != null && chunkRefusal == null) {
            tx.reception.write(bytes, offset, length);
        }
    }

    void onDataEnd(DataError error) {
        if (tx == null) {
            return;
        }
        tx.dataEndNanos = System.nanoTime();
        if (error == DataError.BARE_CR_OR_LF) {
            done(Reply.of(550, "5.6.0", "Message contains bare CR or LF (not allowed in SMTP)"));
        } else if (error == DataError.LINE_TOO_LONG) {
            done(Reply.of(500, "5.5.2", "Message line longer than 1000 octets"));
        } else {
            finishReception();
        }
    }

    /** Checks, filters and commits the message; the reply comes when the DataFilters have decided. */
    private void finishReception() {
        MessageReception reception = tx.reception;
        if (reception == null) {
            done(Replies.OK); // every recipient was discarded: nothing to store
            return;
        }
        Reply early = reception.prepare();
        if (early != null) {
            finished(early);
            return;
        }
        s.await(reception.filter(), outcome -> finished(reception.complete(outcome)));
    }

    /** The reception has committed or aborted itself: it must not be aborted again. */
    private void finished(Reply reply) {
        tx.reception = null;
        done(reply);
    }

    /**
     * Ends the transaction (aborting a reception still open) and answers. An accepted message is timed up to the
     * moment its 250 is handed to the connection.
     */
    private void done(Reply reply) {
        logOutcome(reply);
        if (reply.code() == 250 && tx.dataEndNanos != 0) {
            ListenerTimings timings = s.ctx.services().timings();
            timings.accept().since(tx.dataEndNanos);
            timings.transaction().since(tx.startNanos);
        }
        reset();
        s.reply(reply);
    }

    /** One INFO line per transaction outcome, the listener's equivalent of Postfix's smtpd log line. */
    private void logOutcome(Reply reply) {
        LOG.info("{} client={} helo={} from=<{}> nrcpt={} tls={} auth={}: {}", s.ctx.settings().name(),
                s.clientAddress().getHostAddress(), s.helo, tx.sender, tx.recipients.size(), s.conn.tlsProtocol(),
                s.authUser, reply);
    }

    void bdat(Command.Bdat c) {
        s.decoder.chunkMode(c.size()); // the chunk's bytes are read whatever we answer
        s.conn.idleTimeout(s.ctx.settings().dataTimeoutSeconds());
        chunkLast = c.last();
        chunkSize = c.size();
        chunkRefusal = tx != null && tx.chunkFailure != null ? tx.chunkFailure : startReception(true);
        if (tx != null) {
            tx.chunking = true;
            if (chunkRefusal != null && chunkRefusal.code() != 503) {
                tx.chunkFailure = chunkRefusal;
            }
        }
    }

    void onChunkEnd() {
        Reply refusal = chunkRefusal;
        chunkRefusal = null;
        if (refusal != null) {
            if (chunkLast || refusal.code() == 503) {
                reset();
            }
            s.reply(refusal);
            return;
        }
        if (chunkLast) {
            tx.dataEndNanos = System.nanoTime();
            finishReception();
        } else if (tx.reception != null && tx.reception.failure() != null) {
            tx.chunkFailure = tx.reception.failure();
            tx.abort();
            s.reply(tx.chunkFailure);
        } else {
            s.reply(Reply.of(250, "2.0.0", chunkSize + " octets received"));
        }
    }
}
