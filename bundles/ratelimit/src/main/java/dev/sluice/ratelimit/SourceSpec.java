package dev.sluice.ratelimit;

import dev.sluice.api.mail.LocalHostName;
import dev.sluice.api.ratelimit.EgressSource;
import java.net.UnknownHostException;
import java.net.InetAddress;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * A configured egress source in a pool.
 *
 * @param warmup messages per site per day for day 1, 2, 3… since {@code warmupStart}; empty = no warm-up
 * @param senderDomains if not empty, the source carries only (and is preferred for) mail from these sender domains
 */
record SourceSpec(EgressSource egress, String pool, int weight, long[] warmup, LocalDate warmupStart,
                  List<SitePattern> senderDomains, SendingWindow window) {

    static SourceSpec of(String name, String bindAddress, String ehloName, String pool, int weight, String warmup,
                         String warmupStart, String... senderDomains) {
        InetAddress bind = null;
        if (bindAddress != null && !bindAddress.isBlank()) {
            String a = bindAddress.trim();
            // only literals: a name would mean a DNS lookup during activation and an address that can change
            if (!a.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("bindAddress: '" + bindAddress + "' is not an IP address literal");
            }
            try {
                bind = InetAddress.getByName(a);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress: '" + bindAddress + "' is not an IP address", e);
            }
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a source needs a name");
        }
        if (ehloName == null || ehloName.isBlank()) {
            throw new IllegalArgumentException("ehloName: source '" + name + "' needs the name it announces in EHLO");
        }
        if (!LocalHostName.isDomainOrLiteral(ehloName.trim())) {
            // it goes into the EHLO command line as it is: a space or line break would garble or add commands
            throw new IllegalArgumentException("ehloName: '" + ehloName + "' is neither a host name nor an address "
                    + "literal such as [192.0.2.1]");
        }
        long[] schedule = parseWarmup(warmup);
        LocalDate start = null;
        if (schedule.length > 0) {
            try {
                start = LocalDate.parse(warmupStart.trim());
            } catch (DateTimeParseException | NullPointerException e) {
                throw new IllegalArgumentException("warmupStart: '" + warmupStart + "' is not a date yyyy-mm-dd"
                        + " (needed with warmup)", e);
            }
        }
        return new SourceSpec(new EgressSource(name.trim(), bind, ehloName.trim()),
                pool == null || pool.isBlank() ? "default" : pool.trim(), ShapingRule.positive("weight", weight),
                schedule, start, ShapingRule.patterns("senderDomains", senderDomains), SendingWindow.ALWAYS);
    }

    /** The same source, sending only within {@code w}: every path from it waits outside the window. */
    SourceSpec withWindow(SendingWindow w) {
        return new SourceSpec(egress, pool, weight, warmup, warmupStart, senderDomains, w);
    }


    boolean dedicatedTo(String senderDomain) {
        return senderDomain != null && senderDomains.stream().anyMatch(p -> p.matches(senderDomain));
    }

    private static long[] parseWarmup(String text) {
        if (text == null || text.isBlank()) {
            return new long[0];
        }
        String[] parts = text.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i].trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("warmup: day " + (i + 1) + " '" + parts[i].trim()
                        + "' is not a whole number of messages", e);
            }
            if (out[i] < 0) {
                throw new IllegalArgumentException("warmup: day " + (i + 1) + " is negative");
            }
        }
        return out;
    }

    String name() {
        return egress.name();
    }

    /** Messages this source may send to one site on {@code day}; -1 for no limit. */
    long dailyBudget(LocalDate day) {
        if (warmup.length == 0) {
            return -1;
        }
        long index = day.toEpochDay() - warmupStart.toEpochDay();
        if (index < 0) {
            return 0; // warm-up not started: the address is not ready to be used at all
        }
        return index < warmup.length ? warmup[(int) index] : -1;
    }

    @Override
    public String toString() {
        return name() + " pool=" + pool + " weight=" + weight + " warmup=" + Arrays.toString(warmup) + " window="
                + window;
    }
}
