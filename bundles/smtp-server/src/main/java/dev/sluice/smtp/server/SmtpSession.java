package dev.sluice.smtp.server;

import dev.sluice.api.filter.ConnectRequest;
import dev.sluice.api.filter.HeloRequest;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.InboundLimiter;
import dev.sluice.smtp.server.auth.SaslExchange;
import dev.sluice.smtp.server.codec.DataError;
import dev.sluice.smtp.server.codec.DecoderSink;
import dev.sluice.smtp.server.codec.SmtpDecoder;
import dev.sluice.smtp.server.protocol.Command;
import dev.sluice.smtp.server.protocol.CommandParser;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ESMTP state machine of one connection. Its events never run at the same time (the {@link SessionSerializer}
 * runs them one after the other, on the I/O thread or a worker), so the state needs no locking; replies go out in
 * command order, which is all PIPELINING needs. On the I/O thread, a command that may block is handed to the
 * worker with the input after it, as a filter phase does.
 */
final class SmtpSession implements DecoderSink {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final int MAX_SASL_LINE = 12_288;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    final ListenerContext ctx;
    final Connection conn;
    final SmtpDecoder decoder = new SmtpDecoder(this);
    private final TransactionCommands transactions = new TransactionCommands(this);
    String helo;
    boolean extended;
    String authUser;
    private SaslExchange sasl;
    private int commands;
    private int badCommands;
    private boolean counted;
    private InboundLimiter admittedBy;
    private boolean closing;
    /** A filter phase is pending: input is held back until its continuation has run. */
    private boolean waiting;
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();

    SmtpSession(ListenerContext ctx, Connection conn) {
        this.ctx = ctx;
        this.conn = conn;
    }

    InetAddress clientAddress() {
        return conn.remote().getAddress();
    }

    ClientIdentity identity() {
        return new ClientIdentity(conn.remote(), helo, ctx.settings().name(), conn.tlsProtocol(), conn.tlsCipher(),
                authUser);
    }

    void start() {
        conn.idleTimeout(ctx.settings().commandTimeoutSeconds());
        if (!ctx.counter().acquire(clientAddress())) {
            close(Replies.TOO_MANY_CONNECTIONS);
            return;
        }
        counted = true;
        InboundLimiter limiter = ctx.services().limiter();
        if (limiter != null) {
            Optional<Reply> refusal = limiter.admitConnection(clientAddress());
            if (refusal.isPresent()) {
                close(refusal.get());
                return;
            }
            admittedBy = limiter;
        }
        ConnectRequest request = new ConnectRequest(identity());
        await(ctx.filters().run(ctx.services().connectFilters, f -> f.onConnect(request)), outcome -> {
            Reply refused = outcome.refusal();
            if (refused != null) {
                close(refused);
            } else {
                reply(Reply.of(220, null, ctx.settings().hostname() + " ESMTP Sluice"));
            }
        });
    }

    /** Reads what arrived; returns how many bytes were used now (the rest is held while a filter phase runs). */
    long feed(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (!waiting && held.isEmpty()) {
            decoder.feed(bytes);
        }
        int left = bytes.remaining();
        if (left > 0) {
            ByteBuffer copy = ByteBuffer.allocate(left);
            copy.put(bytes).flip();
            held.add(copy);
        }
        return length - left;
    }

    /**
     * Goes on with {@code then} once the filters have decided. Until then the session reads nothing and holds no
     * thread; the continuation runs on this session's worker, and not at all if the session closed meanwhile
     * (closing already aborted its transaction). Pipelined input held meanwhile is read afterwards.
     */
    void await(CompletionStage<FilterRunner.Outcome> filters, Consumer<FilterRunner.Outcome> then) {
        CompletableFuture<FilterRunner.Outcome> future = filters.toCompletableFuture();
        if (future.isDone()) {
            then.accept(future.exceptionally(e -> FilterRunner.FAILED).join());
            return;
        }
        waiting = true;
        decoder.suspend();
        future.whenComplete((outcome, failure) -> conn.execute(() -> {
            waiting = false;
            decoder.resume();
            if (!closing) {
                then.accept(failure == null ? outcome : FilterRunner.FAILED);
            }
            readHeld();
        }));
    }

    private void readHeld() {
        long used = 0;
        while (!waiting && !closing && !held.isEmpty()) {
            ByteBuffer next = held.peek();
            int before = next.remaining();
            decoder.feed(next);
            used += before - next.remaining();
            if (!next.hasRemaining()) {
                held.poll();
            }
        }
        if (closing) {
            while (!held.isEmpty()) {
                used += held.poll().remaining();
            }
        }
        if (used > 0) {
            conn.consumed(used);
        }
    }

    void onTlsEstablished() {
        LOG.debug("TLS established with {}: {} {}", conn.remote(), conn.tlsProtocol(), conn.tlsCipher());
        if (!closing && decoder.isDiscarding()) {
            decoder.commandMode(SmtpDecoder.MAX_COMMAND_LINE);
        }
    }

    void onIdle() {
        close(Replies.TIMEOUT);
    }

    void onClosed() {
        closing = true;
        held.clear();
        transactions.reset();
        if (counted) {
            counted = false;
            ctx.counter().release(clientAddress());
        }
        if (admittedBy != null) {
            admittedBy.disconnected(clientAddress());
            admittedBy = null;
        }
    }

    @Override
    public void onLine(String line) {
        if (closing) {
            return;
        }
        if (++commands > ctx.settings().maxCommands()) {
            close(Replies.TOO_MANY_COMMANDS);
            return;
        }
        if (sasl != null) {
            trace("C: <AUTH data>");
            new AuthCommand(this).continueWith(sasl, line);
            return;
        }
        trace("C: " + (line.regionMatches(true, 0, "AUTH ", 0, 5) ? "AUTH <masked>" : line));
        dispatch(CommandParser.parse(line));
    }

    /** Nothing held back, no message or SASL exchange under way: input can be read on the I/O thread. */
    boolean canReadInline() {
        return !waiting && held.isEmpty() && sasl == null && !closing && !decoder.isReadingMessage()
                && !decoder.isDiscarding() && !transactions.receiving();
    }

    /** Closing frees only counters unless a message was being received (its spool file is deleted then). */
    boolean canCloseInline() {
        return !transactions.receiving();
    }

    /** DATA and BDAT open a spool file, STARTTLS sets up TLS, AUTH hashes passwords: not on the I/O thread. */
    private static boolean mayBlock(Command command) {
        return command instanceof Command.Data || command instanceof Command.Bdat
                || command instanceof Command.StartTls || command instanceof Command.Auth;
    }

    private void dispatch(Command command) {
        if (mayBlock(command) && conn.onIoThread()) {
            waiting = true;
            decoder.suspend();
            conn.execute(() -> {
                waiting = false;
                decoder.resume();
                if (!closing) {
                    dispatch(command);
                }
                if (held.isEmpty() && !waiting && !closing) {
                    decoder.feed(NOTHING); // lets the decoder act on the command's own framing (BDAT 0 ends at once)
                }
                readHeld();
            });
            return;
        }
        if (command instanceof Command.Invalid c) {
            bad(c.reply());
        } else if (command instanceof Command.Helo c) {
            helo(c);
        } else if (command instanceof Command.Mail c) {
            transactions.mail(c);
        } else if (command instanceof Command.Rcpt c) {
            transactions.rcpt(c);
        } else if (command instanceof Command.Data) {
            transactions.data();
        } else if (command instanceof Command.Bdat c) {
            transactions.bdat(c);
        } else if (command instanceof Command.Rset) {
            transactions.reset();
            reply(Reply.of(250, "2.0.0", "Reset OK"));
        } else if (command instanceof Command.Noop) {
            reply(Replies.OK);
        } else if (command instanceof Command.Quit) {
            close(Reply.of(221, "2.0.0", ctx.settings().hostname() + " closing connection"));
        } else if (command instanceof Command.Help) {
            reply(Reply.of(214, "2.0.0", "See RFC 5321; commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT "
                    + "VRFY HELP STARTTLS AUTH"));
        } else if (command instanceof Command.Vrfy) {
            reply(Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message"));
        } else if (command instanceof Command.StartTls) {
            new AuthCommand(this).startTls();
        } else if (command instanceof Command.Auth c) {
            new AuthCommand(this).auth(c);
        }
    }

    @Override
    public void onBadLine(String why) {
        if (sasl != null) {
            sasl = null;
            decoder.commandMode(SmtpDecoder.MAX_COMMAND_LINE);
        }
        bad(Reply.of(500, "5.5.2", why));
    }

    @Override
    public void onData(byte[] bytes, int offset, int length) {
        transactions.onData(bytes, offset, length);
    }

    @Override
    public void onDataEnd(DataError error) {
        conn.idleTimeout(ctx.settings().commandTimeoutSeconds());
        transactions.onDataEnd(error);
    }

    @Override
    public void onChunkEnd() {
        conn.idleTimeout(ctx.settings().commandTimeoutSeconds());
        transactions.onChunkEnd();
    }

    private void helo(Command.Helo c) {
        ClientIdentity who = new ClientIdentity(conn.remote(), c.domain(), ctx.settings().name(), conn.tlsProtocol(),
                conn.tlsCipher(), authUser);
        HeloRequest request = new HeloRequest(who, c.domain(), c.extended());
        await(ctx.filters().run(ctx.services().heloFilters, f -> f.onHelo(request)), outcome -> {
            if (outcome.refusal() != null) {
                reply(outcome.refusal());
            } else {
                greet(c);
            }
        });
    }

    private void greet(Command.Helo c) {
        transactions.reset();
        helo = c.domain();
        extended = c.extended();
        String greeting = ctx.settings().hostname() + " Hello " + c.domain() + " ["
                + clientAddress().getHostAddress() + "]";
        reply(Reply.of(250, null, c.extended() ? greeting + "\n" + Capabilities.of(this) : greeting));
    }

    void setSasl(SaslExchange exchange) {
        sasl = exchange;
        decoder.commandMode(exchange == null ? SmtpDecoder.MAX_COMMAND_LINE : MAX_SASL_LINE);
    }

    /** Forget the greeting and transaction, as after STARTTLS (RFC 3207 §4.2). */
    void resetToGreeting() {
        transactions.reset();
        helo = null;
        extended = false;
    }

    boolean hasTransaction() {
        return transactions.active();
    }

    /** A syntax or sequence error; too many of them end the session. */
    void bad(Reply reply) {
        reply(reply);
        if (++badCommands >= ctx.settings().maxBadCommands()) {
            close(Replies.TOO_MANY_ERRORS);
        }
    }

    void reply(Reply reply) {
        if (closing) {
            return;
        }
        reply = Replies.withStatus(reply);
        trace("S: " + reply);
        conn.send(reply);
    }

    void close(Reply reply) {
        if (closing) {
            return;
        }
        reply = Replies.withStatus(reply);
        trace("S: " + reply);
        closing = true;
        decoder.discardMode();
        conn.sendAndClose(reply);
    }

    private void trace(String line) {
        if (ctx.settings().protocolTrace()) {
            LOG.info("[{} {}] {}", ctx.settings().name(), conn.remote(), line);
        }
    }
}
