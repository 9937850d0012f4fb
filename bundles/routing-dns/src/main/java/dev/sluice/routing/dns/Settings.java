package dev.sluice.routing.dns;

/** The router's configuration, checked: every bad value is reported with its key and the allowed range. */
record Settings(int timeoutMillis, int retries, int maxMxHosts, AddressFamilies families, int cacheMaxEntries,
                DnsLookup.TtlLimits ttlLimits) {

    /** @throws IllegalArgumentException naming the configuration key and the problem */
    static Settings check(DnsRouter.Config c) {
        return new Settings(
                range("timeoutMillis", c.timeoutMillis(), 1, 600_000),
                range("retries", c.retries(), 0, 10),
                range("maxMxHosts", c.maxMxHosts(), 1, 100),
                AddressFamilies.parse("addressFamilies", c.addressFamilies()),
                range("cacheMaxEntries", c.cacheMaxEntries(), 0, 10_000_000),
                new DnsLookup.TtlLimits(
                        range("cacheMaxTtlSeconds", c.cacheMaxTtlSeconds(), 0, 604_800),
                        range("negativeCacheMaxTtlSeconds", c.negativeCacheMaxTtlSeconds(), 0, 86_400),
                        range("failureCacheSeconds", c.failureCacheSeconds(), 0, 300)));
    }

    private static int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(DnsRouter.PID + ": " + key + " must be between " + min + " and "
                    + max + ", got " + value);
        }
        return value;
    }
}
