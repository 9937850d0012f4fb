package dev.sluice.routing.dns;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Record;
import org.xbill.DNS.WireParseException;

/**
 * The outcome of one DNS question after CNAME chasing, in the four shapes routing cares about.
 *
 * @param records the answer records of the asked type (only for {@link Status#OK})
 * @param ttlSeconds how long the outcome may be cached (0: not at all)
 * @param detail what went wrong, for reply texts and logs
 */
record Answer(Status status, List<Record> records, long ttlSeconds, String detail) {

    enum Status { OK, NXDOMAIN, NODATA, TEMPFAIL }

    Answer {
        records = List.copyOf(records);
    }

    static Answer ok(List<Record> records, long ttlSeconds) {
        return new Answer(Status.OK, records, ttlSeconds, "");
    }

    static Answer negative(Status status, long ttlSeconds) {
        return new Answer(status, List.of(), ttlSeconds, status == Status.NXDOMAIN ? "NXDOMAIN" : "no records");
    }

    static Answer tempfail(String detail, long ttlSeconds) {
        return new Answer(Status.TEMPFAIL, List.of(), ttlSeconds, detail);
    }

    /** Resolver exceptions (time-out, unreachable server, garbage on the wire) are all temporary. */
    static Answer fromError(Throwable error, long ttlSeconds) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = String.valueOf(t.getMessage());
        String detail;
        if (timedOut(t)) {
            detail = "timed out";
        } else if (t instanceof PortUnreachableException) {
            detail = "resolver unreachable";
        } else if (t instanceof WireParseException) {
            detail = "malformed answer (" + message + ")";
        } else if (t instanceof IOException) {
            detail = t.getMessage() == null ? t.getClass().getSimpleName() : message;
        } else {
            detail = t.toString();
        }
        return tempfail(detail, ttlSeconds);
    }

    /** A resolver exception (unwrapped) that means the resolver did not answer in time. */
    static boolean timedOut(Throwable t) {
        return t instanceof TimeoutException || t instanceof SocketTimeoutException
                || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timed out");
    }

    Answer withTtl(long ttl) {
        return new Answer(status, records, ttl, detail);
    }
}
