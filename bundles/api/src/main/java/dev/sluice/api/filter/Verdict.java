package dev.sluice.api.filter;

import dev.sluice.api.mail.Reply;
import java.util.List;
import java.util.Objects;

/**
 * What a filter decides. The first verdict other than {@link Continue} (and other than
 * {@link ModifyHeaders}, which applies and continues) ends the phase.
 */
public sealed interface Verdict {

    Verdict CONTINUE = new Continue();
    Verdict ACCEPT = new Accept();
    Verdict DISCARD = new Discard();

    /** No opinion: ask the next filter. */
    record Continue() implements Verdict {
    }

    /** Accept now; later filters of this phase are skipped. */
    record Accept() implements Verdict {
    }

    /** Refuse with a 5xx reply. */
    record Reject(Reply reply) implements Verdict {
        public Reject {
            Objects.requireNonNull(reply, "reply");
            if (!reply.isPermanent()) {
                throw new IllegalArgumentException("Reject needs a 5xx reply, got " + reply.code());
            }
        }
    }

    /** Refuse temporarily with a 4xx reply (the client retries). */
    record TempFail(Reply reply) implements Verdict {
        public TempFail {
            Objects.requireNonNull(reply, "reply");
            if (!reply.isTransient()) {
                throw new IllegalArgumentException("TempFail needs a 4xx reply, got " + reply.code());
            }
        }
    }

    /**
     * Accept and drop silently: at RCPT the recipient is answered 250 and never delivered; at DATA and before
     * delivery the whole message (or batch) is dropped. The drop is logged. Elsewhere treated as Accept.
     */
    record Discard() implements Verdict {
    }

    /** Change the header and go on to the next filter. Applies at DATA and before delivery; ignored elsewhere. */
    record ModifyHeaders(List<HeaderChange> changes) implements Verdict {
        public ModifyHeaders {
            changes = List.copyOf(changes);
        }
    }

    static Verdict reject(int code, String enhanced, String text) {
        return new Reject(Reply.of(code, enhanced, text));
    }

    static Verdict tempFail(int code, String enhanced, String text) {
        return new TempFail(Reply.of(code, enhanced, text));
    }

    static Verdict addHeader(String name, String value) {
        return new ModifyHeaders(List.of(new HeaderChange.Add(new dev.sluice.api.mail.HeaderField(name, value))));
    }
}
