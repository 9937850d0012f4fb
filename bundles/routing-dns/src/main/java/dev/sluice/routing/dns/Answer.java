package dev.sluice.routing.dns;

import java.util.List;
import org.xbill.DNS.Record;

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

    Answer withTtl(long ttl) {
        return new Answer(status, records, ttl, detail);
    }
}
