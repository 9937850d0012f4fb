package dev.sluice.api.queue;

import dev.sluice.api.mail.Reply;
import java.time.Instant;
import java.util.Objects;

/**
 * One delivery attempt for one recipient.
 *
 * @param at when the reply was received (or the attempt failed)
 * @param remoteHost the host name and address that answered, or a description such as {@code dns} when
 *     no host was reached
 * @param reply the remote reply, or a locally made one for connection and routing failures
 */
public record Attempt(Instant at, String remoteHost, Reply reply) {

    public Attempt {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(remoteHost, "remoteHost");
        Objects.requireNonNull(reply, "reply");
    }
}
