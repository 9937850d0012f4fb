package dev.sluice.api.queue;

import java.util.List;

/**
 * One page of a search result.
 *
 * @param total how many messages matched, or -1 when counting them all would need a full scan
 * @param offset index of the first entry in the whole result
 */
public record QueuePage(List<QueueEntry> entries, long total, int offset) {

    public QueuePage {
        entries = List.copyOf(entries);
    }
}
