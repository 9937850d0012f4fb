package dev.sluice.api.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.api.queue.TenantWait;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantBudgetLineTest {

    private static final Instant T = Instant.parse("2026-12-02T12:00:00Z");

    private static TenantBudgetStatus budget(String tenant, String site) {
        return new TenantBudgetStatus(tenant, site, null, Rate.parse("5/s"), 5, 5, T, T, false);
    }

    @Test
    void budgetsGetTheirWaitsAndWaitsWithoutAListedBudgetComeLast() {
        List<TenantBudgetLine> lines = TenantBudgetLine.of(
                List.of(budget("bob", "yahoo"), budget("acme", "yahoo"), budget("acme", "gmail")),
                List.of(new TenantWait("acme", "yahoo", 3), new TenantWait("zed", "aol", 2)));
        assertEquals(List.of("acme gmail 0", "acme yahoo 3", "bob yahoo 0", "zed aol 2"),
                lines.stream().map(l -> l.tenant() + " " + l.site() + " " + l.waiting()).toList());
        assertNull(lines.get(3).budget(), "its rule is gone, its mail still waits");
    }

    @Test
    void withoutTheSchedulerTheWaitsAreUnknown() {
        List<TenantBudgetLine> lines = TenantBudgetLine.of(List.of(budget("acme", "gmail")), null);
        assertEquals(1, lines.size());
        assertNull(lines.get(0).waiting());
    }
}
