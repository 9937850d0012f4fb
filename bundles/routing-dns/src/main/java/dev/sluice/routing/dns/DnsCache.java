package dev.sluice.routing.dns;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.xbill.DNS.Name;

/**
 * A size-bounded LRU cache of DNS outcomes that honours their TTLs. Our own instead of dnsjava's
 * {@code Cache} so that time comes from an injectable clock and nothing is shared through
 * dnsjava's static defaults.
 */
final class DnsCache {

    record Key(Name name, int type) { }

    private record Entry(Answer answer, long expiresAtMillis) { }

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<Key, Entry> entries;

    DnsCache(Clock clock, int maxEntries) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > DnsCache.this.maxEntries;
            }
        };
    }

    synchronized Answer get(Key key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.expiresAtMillis()) {
            entries.remove(key);
            return null;
        }
        return entry.answer();
    }

    synchronized void put(Key key, Answer answer) {
        if (answer.ttlSeconds() <= 0 || maxEntries == 0) {
            return;
        }
        entries.put(key, new Entry(answer, clock.millis() + answer.ttlSeconds() * 1000));
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized void clear() {
        entries.clear();
    }
}
