package dev.sluice.queue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.QueueId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueueIdsTest {

    @Test
    void idsAreValidRoundTripAndSortByTimeEvenWhenTheClockStepsBack() {
        AtomicLong now = new AtomicLong(Instant.parse("2026-11-23T12:00:00Z").toEpochMilli());
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        QueueIds ids = new QueueIds(clock);
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            if (i == 5000) {
                now.addAndGet(-60_000);
            } else if (i % 7 == 0) {
                now.incrementAndGet();
            }
            long key = ids.next();
            String id = QueueIds.format(key);
            new QueueId(id);
            assertEquals(11, id.length());
            assertEquals(key, QueueIds.parse(id));
            assertTrue(id.compareTo(previous) > 0, id + " after " + previous);
            previous = id;
        }
        assertEquals(-1, QueueIds.parse("short"));
        assertEquals(-1, QueueIds.parse("0000000000-"));
    }
}
