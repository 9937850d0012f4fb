package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import java.util.concurrent.atomic.AtomicBoolean;

/** One counted connection slot; only the first close gives it back, so closing twice is harmless. */
final class Permit implements ConnectionPermit {

    private final PathState state;
    private final AtomicBoolean closed = new AtomicBoolean();

    Permit(PathState state) {
        this.state = state;
    }

    @Override
    public PathKey path() {
        return state.key;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            state.open.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "permit " + state.key + (closed.get() ? " (closed)" : "");
    }
}
