package dev.sluice.queue.file;

import java.io.IOException;

/** A spool file that does not parse: it goes to quarantine, never back into the queue. */
final class CorruptFileException extends IOException {

    private static final long serialVersionUID = 1L;

    CorruptFileException(String message) {
        super(message);
    }

    CorruptFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
