package dev.sluice.delivery.smtp;

import dev.sluice.api.mail.BodyType;
import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Recipient;
import dev.sluice.api.mail.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One MAIL transaction for some recipients of a delivery, pipelined (RFC 2920) when the server offers it.
 * Every recipient it is given gets an outcome, or the stage fails with a hop-level {@link SmtpFailure}
 * (lost connection, timeout, 421) and the recipients without an outcome are tried on the next hop.
 */
final class Transaction {
    private final SmtpConnection conn;
    private final Delivery delivery;
    private final List<Integer> batch;
    private final Settings settings;

    Transaction(SmtpConnection conn, Delivery delivery, List<Integer> batch) {
        this.conn = conn;
        this.delivery = delivery;
        this.batch = batch;
        this.settings = conn.rt.settings;
    }

    CompletableFuture<Void> run() {
        Envelope env = delivery.request().envelope();
        Capabilities caps = conn.caps;
        long size = delivery.request().content().size();
        if (caps.sizeOffered() && caps.maxSize() > 0 && size > caps.maxSize()) {
            return local(Reply.of(552, "5.3.4", "message size " + size + " exceeds the limit of "
                    + caps.maxSize() + " bytes of " + conn.remoteHost));
        }
        if (env.bodyType() == BodyType.BINARY_MIME) {
            return local(Reply.of(554, "5.6.3", "BINARYMIME content needs CHUNKING, which Sluice does not send"));
        }
        boolean utf8 = needsUtf8(env);
        if (utf8 && !caps.smtpUtf8()) {
            return local(Reply.of(553, "5.6.7", "non-ASCII addresses need SMTPUTF8, which " + conn.remoteHost
                    + " does not offer"));
        }
        List<String> rcpts = new ArrayList<>();
        for (int i : batch) {
            rcpts.add(Commands.rcpt(delivery.recipient(i), caps));
        }
        conn.messages++;
        // The client's SMTPUTF8 flag travels on when the server can take it (its headers may be UTF-8).
        String mail = Commands.mail(env, size, caps, caps.smtpUtf8() && (utf8 || env.smtpUtf8()));
        if (settings.pipelining() && caps.pipelining()) {
            return pipelined(mail, rcpts);
        }
        return conn.command(mail, settings.mailTimeout()).thenCompose(m -> {
            if (!m.isPositive()) {
                return CompletableFuture.completedFuture(evaluate(m, List.of(), null));
            }
            CompletableFuture<List<Reply>> replies = CompletableFuture.completedFuture(new ArrayList<>());
            for (String r : rcpts) {
                replies = replies.thenCompose(list -> conn.command(r, settings.rcptTimeout()).thenApply(reply -> {
                    if (reply.code() == 421) {
                        throw new CompletionException(SmtpFailure.remote(reply, conn.remoteHost));
                    }
                    list.add(reply);
                    return list;
                }));
            }
            return replies.thenCompose(list -> list.stream().noneMatch(Reply::isPositive)
                    ? CompletableFuture.completedFuture(evaluate(m, list, null))
                    : conn.command("DATA", settings.dataInitiationTimeout()).thenApply(d -> evaluate(m, list, d)));
        }).thenCompose(this::data);
    }

    private CompletableFuture<Void> pipelined(String mail, List<String> rcpts) {
        List<String> lines = new ArrayList<>();
        List<Duration> timeouts = new ArrayList<>();
        boolean reset = conn.resetFirst;
        conn.resetFirst = false;
        if (reset) {
            lines.add("RSET");
            timeouts.add(settings.commandTimeout());
        }
        lines.add(mail);
        timeouts.add(settings.mailTimeout());
        for (String r : rcpts) {
            lines.add(r);
            timeouts.add(settings.rcptTimeout());
        }
        lines.add("DATA");
        timeouts.add(settings.dataInitiationTimeout());
        List<CompletableFuture<Reply>> sent = conn.pipeline(lines, timeouts);
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            List<CompletableFuture<Reply>> replies = sent;
            if (reset) {
                CompletableFuture<Reply> r = sent.get(0);
                if (r.isCompletedExceptionally() || r.join().code() != 250) {
                    throw new CompletionException(new Connections.Stale());
                }
                replies = sent.subList(1, sent.size());
            }
            // A server that says 421 and hangs up fails the later replies; the 421 is the better reason.
            for (CompletableFuture<Reply> f : replies) {
                if (!f.isCompletedExceptionally() && f.join().code() == 421) {
                    throw new CompletionException(SmtpFailure.remote(f.join(), conn.remoteHost));
                }
            }
            if (e != null) {
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            List<Reply> all = replies.stream().map(CompletableFuture::join).toList();
            return evaluate(all.get(0), all.subList(1, all.size() - 1), all.get(all.size() - 1));
        }).thenCompose(this::data);
    }

    /** The accepted recipients' indexes, or null when no content is to follow; records every refusal. */
    private List<Integer> evaluate(Reply mail, List<Reply> rcpts, Reply data) {
        List<Reply> all = new ArrayList<>(rcpts);
        all.add(mail);
        if (data != null) {
            all.add(data);
        }
        for (Reply r : all) {
            if (r.code() == 421) {
                throw new CompletionException(SmtpFailure.remote(r, conn.remoteHost));
            }
        }
        if (!mail.isPositive()) {
            batch.forEach(i -> delivery.record(i, mail, conn));
            return dataOpened(data) ? List.of() : null;
        }
        List<Integer> accepted = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
            if (rcpts.get(k).isPositive()) {
                accepted.add(batch.get(k));
            } else {
                delivery.record(batch.get(k), rcpts.get(k), conn);
            }
        }
        if (!accepted.isEmpty() && !dataOpened(data)) {
            accepted.forEach(i -> delivery.record(i, data, conn));
            return null;
        }
        return dataOpened(data) ? accepted : null;
    }

    private CompletableFuture<Void> data(List<Integer> accepted) {
        if (accepted == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (accepted.isEmpty()) {
            // A pipelined DATA was accepted without a valid recipient: end it empty (RFC 2920 §3.1).
            return conn.send(".\r\n".getBytes(), settings.dataTerminationTimeout(), "end of data")
                    .thenAccept(r -> { });
        }
        delivery.usedTls(conn.tlsProtocol);
        return DataSender.send(conn, delivery.request().content()).thenAccept(reply -> {
            if (reply.code() == 421) {
                throw new CompletionException(SmtpFailure.remote(reply, conn.remoteHost));
            }
            accepted.forEach(i -> delivery.record(i, reply, conn));
        });
    }

    private static boolean dataOpened(Reply data) {
        return data != null && data.code() == 354;
    }

    private boolean needsUtf8(Envelope env) {
        boolean any = env.sender().address().map(a -> a.needsSmtpUtf8()).orElse(false);
        for (int i : batch) {
            Recipient r = delivery.recipient(i);
            any |= r.address().needsSmtpUtf8();
        }
        return any;
    }

    private CompletableFuture<Void> local(Reply reply) {
        batch.forEach(i -> delivery.record(i, reply, conn));
        return CompletableFuture.completedFuture(null);
    }
}
