package dev.sluice.api.filter;

import dev.sluice.api.mail.HeaderField;
import java.util.Objects;

/** A change a filter asks for in the message header. */
public sealed interface HeaderChange {

    /** Prepends a field (new fields go on top, as trace fields do). */
    record Add(HeaderField field) implements HeaderChange {
        public Add {
            Objects.requireNonNull(field, "field");
        }
    }

    /** Replaces every field of that name by one, or adds it when absent. */
    record Set(HeaderField field) implements HeaderChange {
        public Set {
            Objects.requireNonNull(field, "field");
        }
    }

    /** Removes every field of that name. */
    record Remove(String name) implements HeaderChange {
        public Remove {
            Objects.requireNonNull(name, "name");
        }
    }
}
