package dev.sluice.api.mail;

import java.util.Objects;
import java.util.regex.Pattern;

/** The identifier the queue gives a message: 1 to 40 characters of {@code [0-9A-Za-z]}, safe in a file name. */
public record QueueId(String value) implements Comparable<QueueId> {

    private static final Pattern VALID = Pattern.compile("[0-9A-Za-z]{1,40}");

    public QueueId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid queue id: " + value);
        }
    }

    @Override
    public int compareTo(QueueId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
