package dev.sluice.ratelimit;

import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.PathKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One counted connection slot; only the first close gives it back, so closing twice is harmless. A permit taken
 * while Redis was unreachable has no lease ("") until the shaper adopts it into the shared count.
 */
final class Permit implements ConnectionPermit {

    private static final String CLOSED = "\u0000closed";

    /** How often an idle connection's path asks Redis whether another node waits for a slot. */
    static final Duration WANT_CHECK = Duration.ofSeconds(1);

    private final PathState state;
    private final RateGate gate;
    private final Clock clock;
    private final AtomicReference<String> lease;

    /** @param gate where {@code lease} was taken: the one to give it back to, even if the shaper has a new one */
    Permit(PathState state, RateGate gate, String lease, Clock clock) {
        this.state = state;
        this.gate = gate;
        this.clock = clock;
        this.lease = new AtomicReference<>(lease);
    }

    RateGate gate() {
        return gate;
    }

    /** Gives a lease-less permit its lease; false when it was closed meanwhile (the caller then releases it). */
    boolean adopt(String newLease) {
        return lease.compareAndSet("", newLease);
    }

    @Override
    public PathKey path() {
        return state.key;
    }

    @Override
    public boolean wanted() {
        String held = lease.get();
        if (CLOSED.equals(held)) {
            return false;
        }
        // one opened while Redis was away asks too: that call finds Redis back (within the retry interval) and counts
        // this node's connections in again, even when it has no other traffic

        try {
            return state.claimWanted(gate, clock.instant(), WANT_CHECK);
        } catch (RuntimeException e) {
            return false; // a closed gate (reconfigured meanwhile)
        }
    }

    @Override
    public void close() {
        String held = lease.getAndSet(CLOSED);
        if (CLOSED.equals(held)) {
            return;
        }
        state.open.decrementAndGet();
        state.unleased.remove(this);
        try {
            gate.releaseSlot(state.connectionBucket, held);
        } catch (RuntimeException e) {
            // a closed gate (reconfigured meanwhile): the lease expires by itself
        }
    }

    @Override
    public String toString() {
        return "permit " + state.key + (CLOSED.equals(lease.get()) ? " (closed)" : "");
    }
}
