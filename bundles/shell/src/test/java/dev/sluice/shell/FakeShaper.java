package dev.sluice.shell;

import dev.sluice.api.mail.Envelope;
import dev.sluice.api.mail.Reply;
import dev.sluice.api.ratelimit.ConnectionPermit;
import dev.sluice.api.ratelimit.EgressSource;
import dev.sluice.api.ratelimit.PathKey;
import dev.sluice.api.ratelimit.PathLimits;
import dev.sluice.api.ratelimit.PathStatus;
import dev.sluice.api.ratelimit.Rate;
import dev.sluice.api.ratelimit.Suspension;
import dev.sluice.api.ratelimit.TenantBudgetStatus;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Fixed status; records suspend and resume. */
final class FakeShaper implements TrafficShaper {

    static final PathLimits LIMITS = new PathLimits(4, Rate.parse("20/min"), 50, Rate.parse("10/s"), 100);

    final List<String> calls = new ArrayList<>();
    List<PathStatus> status = List.of();
    List<TenantBudgetStatus> tenantBudgets = List.of();

    public EgressSource chooseSource(String site, Envelope envelope) {
        throw new UnsupportedOperationException();
    }

    public PathLimits limits(PathKey path) {
        calls.add("limits " + path);
        return LIMITS;
    }

    public Optional<ConnectionPermit> tryOpenConnection(PathKey path) {
        throw new UnsupportedOperationException();
    }

    public boolean tryAcquireMessage(PathKey path) {
        throw new UnsupportedOperationException();
    }

    public Instant nextOpportunity(PathKey path) {
        throw new UnsupportedOperationException();
    }

    public void onReply(PathKey path, Reply reply) {
        throw new UnsupportedOperationException();
    }

    public List<PathStatus> status() {
        return status;
    }

    public List<TenantBudgetStatus> tenantBudgets() {
        return tenantBudgets;
    }

    public Suspension suspend(String site, Duration duration, String reason) {
        calls.add("suspend " + site + " " + duration + " " + reason);
        return new Suspension(new PathKey(site, "*"), "operator", null, Fakes.T0, Fakes.T0.plus(duration), "suspend");
    }

    public boolean resume(String site) {
        calls.add("resume " + site);
        return site.startsWith("gmail");
    }

    public Optional<Suspension> suspension(PathKey path) {
        return Optional.empty();
    }
}
