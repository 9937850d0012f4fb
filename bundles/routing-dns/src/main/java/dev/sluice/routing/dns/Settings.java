package dev.sluice.routing.dns;

import static dev.sluice.api.config.ConfigCheck.between;

/** The router's configuration, checked: every bad value is reported with its key and the allowed range. */
record Settings(int timeoutMillis, int retries, int maxMxHosts, AddressFamilies families, int cacheMaxEntries,
                DnsLookup.TtlLimits ttlLimits) {

    /** @throws IllegalArgumentException naming the configuration key and the problem; the ranges are the MetaType's */
    static Settings check(DnsRouter.Config c) {
        return new Settings(
                between("timeoutMillis", c.timeoutMillis(), 1, 600_000),
                between("retries", c.retries(), 0, 10),
                between("maxMxHosts", c.maxMxHosts(), 1, 100),
                AddressFamilies.parse("addressFamilies", c.addressFamilies()),
                between("cacheMaxEntries", c.cacheMaxEntries(), 0, 10_000_000),
                new DnsLookup.TtlLimits(
                        between("cacheMaxTtlSeconds", c.cacheMaxTtlSeconds(), 0, 604_800),
                        between("negativeCacheMaxTtlSeconds", c.negativeCacheMaxTtlSeconds(), 0, 86_400),
                        between("failureCacheSeconds", c.failureCacheSeconds(), 0, 300)));
    }
}
