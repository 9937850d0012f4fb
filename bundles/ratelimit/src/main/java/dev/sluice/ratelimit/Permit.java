package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import java.util.concurrent.atomic.AtomicBoolean;

/** One counted connection slot; only the first close gives it back, so closing twice is harmless. */
final class Permit implements ConnectionPermit {

    private final PathState state;
    private final RateGate gate;
    private final String lease;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param gate where {@code lease} was taken: the one to give it back to, even if the shaper has a new one */
    Permit(PathState state, RateGate gate, String lease) {
        this.state = state;
        this.gate = gate;
        this.lease = lease;
    }

    @Override
    public PathKey path() {
        return state.key;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            state.open.decrementAndGet();
            try {
                gate.releaseSlot(state.connectionBucket, lease);
            } catch (RuntimeException e) {
                // a closed gate (reconfigured meanwhile): the lease expires by itself
            }
        }
    }

    @Override
    public String toString() {
        return "permit " + state.key + (closed.get() ? " (closed)" : "");
    }
}
