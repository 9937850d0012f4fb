package dev.sluice.filter.dkim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recent body hashes by queue id. A message is signed before every batch and every retry, but filters can
 * only change its header, so the body (the expensive part of a 50 MB message) is hashed once.
 */
final class BodyHashCache {

    private final Map<String, byte[]> entries;

    BodyHashCache(int capacity) {
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized byte[] get(String key) {
        return entries.get(key);
    }

    synchronized void put(String key, byte[] hash) {
        entries.put(key, hash);
    }
}
