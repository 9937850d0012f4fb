package dev.sluice.itests.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Rate limits on one running node, configured through deploy/*.cfg as an administrator would: outbound shaping
 * measured at a receiving server, adaptive backoff seen and cancelled through the web console, inbound limits on
 * the real listener. The suspension that must expire by itself is started first and checked last, so that its
 * minute runs while the other tests do.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class RateLimitIT {

    static final int MAX_CONNECTIONS = 3;
    static final int MESSAGES_PER_CONNECTION = 5;
    static final int RATE = 20;
    static final int LOAD = 120;
    static final String TOO_MANY = "421 4.7.0 Too many connections, try again later";
    static final String RATE_LIMITED = "451 4.7.1 Rate limited, try again later";
    static final int SITE_RATE = 50;
    static final int TENANT_RATE = 10;
    static final int PER_TENANT = 50;
    static final int PER_SOURCE = 5;

    private static SluiceDistribution sluice;
    private static DestinationsConsole console;
    private static TestSmtpServer shaped;
    private static TestSmtpServer busy;
    private static TestSmtpServer held;
    private static TestSmtpServer throttled;
    private static TestSmtpServer tenants;
    private static TestSmtpServer sources;
    private static Instant busySince;
    private static Instant busyUntil;

    @BeforeClass
    public static void startNode() throws Exception {
        shaped = new TestSmtpServer(new TestSmtpServer.Script());
        busy = new TestSmtpServer(refuseFirstTwoConnections());
        held = new TestSmtpServer(refuseFirstTwoConnections());
        TestSmtpServer.Script rateLimited = new TestSmtpServer.Script();
        rateLimited.dataReply = n -> n <= 2 ? RATE_LIMITED : "250 2.0.0 queued as T" + n;
        throttled = new TestSmtpServer(rateLimited);
        tenants = new TestSmtpServer(new TestSmtpServer.Script());
        sources = new TestSmtpServer(new TestSmtpServer.Script());

        sluice = SluiceDistribution.unpack("ratelimit");
        sluice.listenOnFreeSmtpPort(Map.of("allowPlaintextAuth", "true", "authUsers", "alice:" + hash("secret")));
        for (Map.Entry<String, TestSmtpServer> r : Map.of("shaped", shaped, "busy", busy, "held", held,
                "throttled", throttled, "tenants", tenants, "sources", sources).entrySet()) {
            sluice.configure("dev.sluice.routing.static-" + r.getKey() + ".cfg", Map.of("name", r.getKey(),
                    "domains", r.getKey() + ".test", "hosts", "127.0.0.1:" + r.getValue().port(), "tls", "none"));
        }
        // deferred mail comes back after 2 s, so that backoff and recovery show within the test
        sluice.configure("dev.sluice.scheduler.cfg", Map.of("retryInitialSeconds", "2", "retryMultiplier", "1",
                "retryMaxSeconds", "2"));
        sluice.configure("dev.sluice.ratelimit.rule-shaped.cfg", Map.of("name", "shaped", "sites", "route:shaped",
                "maxConnections", Integer.toString(MAX_CONNECTIONS), "connectionRate", "600/min",
                "maxMessagesPerConnection", Integer.toString(MESSAGES_PER_CONNECTION), "messageRate", RATE + "/s"));
        sluice.configure("dev.sluice.ratelimit.rule-throttled.cfg", Map.of("name", "throttled",
                "sites", "route:throttled", "maxConnections", "4", "messageRate", "10/s"));
        // tenants: a site that takes 50/s, of which the tenant acme (X-Tenant header) may have 10/s
        sluice.configure("dev.sluice.ratelimit.cfg", Map.of("tenantKeys", "header:X-Tenant"));
        sluice.configure("dev.sluice.ratelimit.rule-tenants.cfg", Map.of("name", "tenants", "sites", "route:tenants",
                "maxConnections", "4", "messageRate", SITE_RATE + "/s"));
        sluice.configure("dev.sluice.ratelimit.tenant-acme.cfg", Map.of("name", "acme", "tenants", "acme",
                "sites", "route:tenants", "messageRate", TENANT_RATE + "/s"));
        // two sources dedicated to their senders (everyone else's mail keeps the default source); a's window is shut
        sluice.configure("dev.sluice.ratelimit.source-a.cfg", sourceA(true));
        sluice.configure("dev.sluice.ratelimit.source-b.cfg", Map.of("name", "b", "bindAddress", "127.0.0.1",
                "ehloName", "b.sluice.test", "senderDomains", "b.sluice.test"));
        sluice.configure("dev.sluice.ratelimit.backoff-busy.cfg", Map.of("name", "busy-suspend",
                "pattern", "^421 4\\.7\\.0 .*too many connections", "sites", "route:busy", "action", "suspend",
                "triggerCount", "2", "durationMinutes", "1"));
        sluice.configure("dev.sluice.ratelimit.backoff-held.cfg", Map.of("name", "held-suspend",
                "pattern", "^421 4\\.7\\.0 .*too many connections", "sites", "route:held", "action", "suspend",
                "triggerCount", "2", "durationMinutes", "30"));
        // 127.0.0.1 submits the load; the inbound tests come from 127.0.0.2 and up, one address per limit
        sluice.configure("dev.sluice.ratelimit.inbound.cfg", Map.of("exemptNetworks", "127.0.0.1/32",
                "maxConnectionsPerIp", "2", "connectionRatePerIp", "5/min", "messageRatePerClient", "3/min",
                "recipientRatePerClient", "5/min", "maxAuthFailures", "3"));
        sluice.start();
        sluice.awaitAllBundlesActive(Duration.ofSeconds(90));
        sluice.awaitSmtpListener(Duration.ofSeconds(30));
        // deploy/*.cfg reach their components one by one, in no set order: the listener being up says nothing of the
        // rest, and a_'s first refused greeting must already be counted by the configured backoff rules
        sluice.awaitActiveComponents("dev.sluice.routing.dns.StaticRoute", 6, Duration.ofSeconds(30));
        sluice.awaitActiveComponents("dev.sluice.ratelimit.SourceComponent", 2, Duration.ofSeconds(30));
        sluice.awaitActiveComponents("dev.sluice.ratelimit.BackoffComponent", 2, Duration.ofSeconds(30));
        console = new DestinationsConsole(sluice);
    }

    @AfterClass
    public static void stopAll() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        for (TestSmtpServer s : new TestSmtpServer[] {shaped, busy, held, throttled, tenants, sources}) {
            if (s != null) {
                s.close();
            }
        }
    }

    /** Source a, for senders of a.sluice.test, with a window that opens in three hours when {@code shut}. */
    private static Map<String, String> sourceA(boolean shut) {
        Map<String, String> keys = new java.util.HashMap<>(Map.of("name", "a", "bindAddress", "127.0.0.1",
                "ehloName", "a.sluice.test", "senderDomains", "a.sluice.test"));
        if (shut) {
            java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
            keys.putAll(Map.of("windowStart", now.plusHours(3).withSecond(0).withNano(0).toString(),
                    "windowEnd", now.plusHours(4).withSecond(0).withNano(0).toString(), "windowTimeZone", "UTC"));
        }
        return keys;
    }

    private static TestSmtpServer.Script refuseFirstTwoConnections() {
        TestSmtpServer.Script s = new TestSmtpServer.Script();
        s.greetings = n -> n <= 2 ? TOO_MANY : s.greeting;
        return s;
    }

    /** A PBKDF2 hash as the listener's authUsers takes it, with the fewest iterations it accepts (fast tests). */
    private static String hash(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] h = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 1000, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    /**
     * Both messages try at once, so the two refused greetings arrive together and the configured suspension has to
     * win over the built-in throttles that fire on the same replies. No third connection can be under way when the
     * suspension starts: each message makes one attempt, and retries come 2 s later.
     */
    @Test
    public void a_tooManyConnectionsSuspendsTheSiteVisiblyWithRuleReplySinceAndUntil() throws Exception {
        MailLoad.submit(sluice.smtpPort(), "busy.test", "busy", 2, 1);
        MailLoad.submit(sluice.smtpPort(), "held.test", "held", 2, 1);
        String[] row = {""};
        assertTrue("no suspension of route:busy on the Destinations page: " + console.page(),
                SluiceDistribution.await(Duration.ofSeconds(30), () -> (row[0] = console.rowOrEmpty("route:busy"))
                        .contains("suspend by rule busy-suspend")));
        System.out.println("Destinations row: " + row[0]);
        assertTrue(row[0], row[0].contains("after reply " + TOO_MANY));
        busySince = DestinationsConsole.since(row[0]);
        busyUntil = DestinationsConsole.until(row[0]);
        assertEquals("durationMinutes=1", Duration.ofMinutes(1), Duration.between(busySince, busyUntil));
        assertTrue(sluice.awaitLog(Duration.ofSeconds(10), "backoff rule 'busy-suspend' matched '" + TOO_MANY
                + "' on default->route:busy: suspend since " + busySince + " until " + busyUntil));
        assertTrue(SluiceDistribution.await(Duration.ofSeconds(30),
                () -> console.rowOrEmpty("route:held").contains("suspend by rule held-suspend")));
        assertEquals("two refused connections, none while suspended", 2, busy.connections());
    }

    @Test
    public void b_concurrencyRateAndMessagesPerConnectionHoldAtTheReceiver() throws Exception {
        // the operator suspends the site while the load is queued, so that the whole load is there at once
        String suspended = console.suspend("route:shaped", 10, "queue the load first");
        assertTrue(suspended, suspended.contains("suspended route:shaped until"));
        List<String> ids = MailLoad.submit(sluice.smtpPort(), "shaped.test", "shaped", LOAD, 4);
        assertEquals(0, shaped.connections());
        String resumed = console.resume("route:shaped");
        assertTrue(resumed, resumed.contains("resumed route:shaped"));
        assertTrue("delivered " + shaped.received().size() + " of " + LOAD, SluiceDistribution.await(
                Duration.ofSeconds(60), () -> shaped.received().size() >= LOAD));

        assertEquals(new HashSet<>(ids), new HashSet<>(MailLoad.ids(shaped.received())));
        assertEquals("each message once", LOAD, shaped.received().size());
        ArrivalStats stats = new ArrivalStats(shaped.arrivals());
        // the bucket starts full with one second's worth (RATE messages), then paces
        double rate = stats.pacedRate(RATE);
        double secondHalf = stats.rateAfter(LOAD / 2);
        Map<Integer, Integer> perConnection = shaped.messagesPerConnection();
        int mostPerConnection = perConnection.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        System.out.printf("shaping: configured %d/s, %d connections, %d messages/connection; observed %s/s paced "
                        + "((messages - burst) / span), %s/s over the second half, %d at most in any second, peak %d sessions, %d connections, at most %d messages on one, "
                        + "%d messages in %d ms%n", RATE, MAX_CONNECTIONS, MESSAGES_PER_CONNECTION,
                ArrivalStats.format(rate), ArrivalStats.format(secondHalf), stats.maxIn(Duration.ofSeconds(1)),
                shaped.peakSessions(),
                shaped.connections(), mostPerConnection, stats.count(), stats.span().toMillis());
        assertTrue("peak " + shaped.peakSessions(), shaped.peakSessions() <= MAX_CONNECTIONS);
        assertEquals("connections were reused up to the limit", MESSAGES_PER_CONNECTION, mostPerConnection);
        assertTrue("at least " + LOAD / MESSAGES_PER_CONNECTION + " connections: " + perConnection,
                perConnection.size() >= LOAD / MESSAGES_PER_CONNECTION);
        ArrivalStats.assertWithinTenPercent("paced message rate", RATE, rate);
        // a token bucket of one second's worth never lets more than 2 x RATE through in a second; 2 more for the
        // jitter between the scheduler taking a token and the receiver seeing the message
        int peakSecond = stats.maxIn(Duration.ofSeconds(1));
        assertTrue("at most one second's worth of burst: " + peakSecond, peakSecond <= 2 * RATE + 2);
    }

    @Test
    public void c_rateLimitedRepliesThrottleVisiblyAndTheOperatorCancelsIt() throws Exception {
        MailLoad.submit(sluice.smtpPort(), "throttled.test", "throttled", 4, 1);
        String[] row = {""};
        assertTrue("no throttle of route:throttled: " + console.page(), SluiceDistribution.await(
                Duration.ofSeconds(30), () -> (row[0] = console.rowOrEmpty("route:throttled"))
                        .contains("by rule rate-limited")));
        System.out.println("Destinations row: " + row[0]);
        assertTrue(row[0], row[0].contains("throttle to 2 connections, 5/s by rule rate-limited after reply "
                + RATE_LIMITED));
        assertTrue(row[0], row[0].contains("2 connections, 600/min new connections, 100 messages/connection, "
                + "5/s messages"));
        assertTrue(DestinationsConsole.until(row[0]).isAfter(DestinationsConsole.since(row[0])
                .plus(Duration.ofMinutes(15))));
        // throttled, not stopped: the deferred mail still goes out
        assertTrue(SluiceDistribution.await(Duration.ofSeconds(30), () -> throttled.received().size() == 4));

        String resumed = console.resume("route:throttled");
        assertTrue(resumed, resumed.contains("resumed route:throttled"));
        String after = console.rowOrEmpty("route:throttled");
        assertFalse(after, after.contains("rate-limited"));
        assertTrue(after, after.contains("4 connections, 600/min new connections, 100 messages/connection, "
                + "10/s messages"));
        assertTrue(sluice.awaitLog(Duration.ofSeconds(10), "operator cancelled backoff rule 'rate-limited' on "
                + "default->route:throttled"));
    }

    @Test
    public void d_theOperatorResumesASuspendedSiteAndItsMailIsDeliveredAtOnce() throws Exception {
        assertEquals("nothing while suspended", 0, held.received().size());
        assertEquals(2, held.connections());
        long resumedAt = System.nanoTime();
        String resumed = console.resume("route:held");
        assertTrue(resumed, resumed.contains("resumed route:held"));
        assertTrue("not delivered after the resume; page: " + console.rowOrEmpty("route:held"),
                SluiceDistribution.await(Duration.ofSeconds(20), () -> held.received().size() == 2));
        System.out.printf("held: delivered %d ms after the operator resumed it%n",
                (System.nanoTime() - resumedAt) / 1_000_000);
        assertFalse(console.rowOrEmpty("route:held").contains("held-suspend"));
    }

    @Test
    public void f_aTenantRuleLimitsOneTenantsShareOfASite() throws Exception {
        String suspended = console.suspend("route:tenants", 10, "queue the load first");
        assertTrue(suspended, suspended.contains("suspended route:tenants until"));
        MailLoad.submit(sluice.smtpPort(), "tenants.test", "acme", PER_TENANT, 2, "X-Tenant: acme\r\n");
        MailLoad.submit(sluice.smtpPort(), "tenants.test", "bob", PER_TENANT, 2, "X-Tenant: bob\r\n");
        String resumed = console.resume("route:tenants");
        assertTrue(resumed, resumed.contains("resumed route:tenants"));
        // the page is read only until acme's mail is seen waiting aside (its budget used up, bob's going past)
        String[] waitingRow = {""};
        assertTrue("delivered " + tenants.received().size(), SluiceDistribution.await(Duration.ofSeconds(60), () -> {
            if (waitingRow[0].isEmpty()) {
                String row = console.tenantRowOrEmpty("acme", "route:tenants");
                waitingRow[0] = row.isEmpty() || row.split(" \\| ")[6].equals("0") ? "" : row;
            }
            return tenants.received().size() >= 2 * PER_TENANT;
        }));
        String acmeBudget = console.tenantRowOrEmpty("acme", "route:tenants");
        assertTrue(acmeBudget, acmeBudget.startsWith("acme | route:tenants | acme | " + TENANT_RATE + "/s | "));
        assertTrue(acmeBudget, acmeBudget.contains(" | 0 | no | ")); // nothing waits now; one node, no Redis
        assertEquals("bob has no tenant rule, hence no budget", "", console.tenantRowOrEmpty("bob", "route:tenants"));
        assertFalse("acme's mail was never seen waiting aside on the page", waitingRow[0].isEmpty());

        assertEquals("each message once", 2 * PER_TENANT, tenants.received().size());
        ArrivalStats acme = new ArrivalStats(tenants.arrivals().stream()
                .filter(a -> "acme".equals(a.message().header("X-Tenant"))).toList());
        ArrivalStats bob = new ArrivalStats(tenants.arrivals().stream()
                .filter(a -> "bob".equals(a.message().header("X-Tenant"))).toList());
        ArrivalStats all = new ArrivalStats(tenants.arrivals());
        double acmeRate = acme.pacedRate(TENANT_RATE);
        System.out.printf("tenants: site %d/s, acme %d/s; observed acme %s/s paced, bob %d messages in %d ms, "
                        + "all %d in %d ms, at most %d in any second, peak %d sessions%n", SITE_RATE, TENANT_RATE,
                ArrivalStats.format(acmeRate), bob.count(), bob.span().toMillis(), all.count(),
                all.span().toMillis(), all.maxIn(Duration.ofSeconds(1)), tenants.peakSessions());
        System.out.printf("tenants: the page showed acme's budget as %s, while mail waited: %s%n", acmeBudget,
                waitingRow[0]);
        ArrivalStats.assertWithinTenPercent("acme's paced rate", TENANT_RATE, acmeRate);
        assertTrue("bob is not held to acme's rate: done before acme", bob.last() < acme.last());
        assertTrue("the site's own limit holds: " + all.maxIn(Duration.ofSeconds(1)),
                all.maxIn(Duration.ofSeconds(1)) <= 2 * SITE_RATE + 2);
        assertTrue("peak " + tenants.peakSessions(), tenants.peakSessions() <= 4);
    }

    /**
     * Mail of sender a (source a, window shut) is queued before mail of sender b (source b) to the same site: b's goes
     * past a's, which waits for its source and goes when the window opens (here: when the operator drops it).
     */
    @Test
    public void g_aSourceOutsideItsWindowDoesNotHoldBackAnotherSourcesMailToTheSameSite() throws Exception {
        List<String> a = MailLoad.submit(sluice.smtpPort(), "sender@a.sluice.test", "sources.test", "srcA", PER_SOURCE,
                1, "");
        List<String> b = MailLoad.submit(sluice.smtpPort(), "sender@b.sluice.test", "sources.test", "srcB", PER_SOURCE,
                1, "");
        long queued = System.nanoTime();
        assertTrue("b's mail waited behind a's: received " + MailLoad.ids(sources.received()),
                SluiceDistribution.await(Duration.ofSeconds(30), () -> sources.received().size() >= PER_SOURCE));
        System.out.printf("sources: b's %d delivered %d ms after queueing, past a's %d waiting for a's window%n",
                PER_SOURCE, (System.nanoTime() - queued) / 1_000_000, PER_SOURCE);
        assertEquals(new HashSet<>(b), new HashSet<>(MailLoad.ids(sources.received())));

        sluice.configure("dev.sluice.ratelimit.source-a.cfg", sourceA(false));
        assertTrue("a's mail did not follow when its window opened: received " + MailLoad.ids(sources.received()),
                SluiceDistribution.await(Duration.ofSeconds(30), () -> sources.received().size() >= 2 * PER_SOURCE));
        List<String> all = MailLoad.ids(sources.received());
        assertEquals("each once", 2 * PER_SOURCE, all.size());
        assertEquals("then a's", new HashSet<>(a), new HashSet<>(all.subList(PER_SOURCE, 2 * PER_SOURCE)));
    }

    @Test
    public void e1_concurrentConnectionsPerIp() throws Exception {
        InetAddress ip = InetAddress.getByName("127.0.0.2");
        try (SmtpClient one = new SmtpClient(sluice.smtpPort(), ip);
             SmtpClient two = new SmtpClient(sluice.smtpPort(), ip);
             SmtpClient three = SmtpClient.connect(sluice.smtpPort(), ip)) {
            assertTrue(three.greeting(), three.greeting().startsWith("421 4.7.0 Too many concurrent connections from "
                    + "127.0.0.2 (limit 2)"));
            assertTrue("421 closes the connection", three.closedByServer());
        }
    }

    @Test
    public void e2_connectionRatePerIp() throws Exception {
        InetAddress ip = InetAddress.getByName("127.0.0.3");
        for (int i = 0; i < 5; i++) {
            try (SmtpClient c = new SmtpClient(sluice.smtpPort(), ip)) {
                assertTrue(c.greeting().startsWith("220"));
            }
        }
        try (SmtpClient sixth = SmtpClient.connect(sluice.smtpPort(), ip)) {
            assertTrue(sixth.greeting(), sixth.greeting().startsWith("421 4.7.0 Too many connections from 127.0.0.3 "
                    + "(limit 5/min)"));
            assertTrue(sixth.closedByServer());
        }
    }

    @Test
    public void e3_messagesAndRecipientsPerMinutePerClient() throws Exception {
        try (SmtpClient c = new SmtpClient(sluice.smtpPort(), InetAddress.getByName("127.0.0.4"))) {
            for (int i = 0; i < 3; i++) {
                assertTrue(c.command("MAIL FROM:<a@sluice.test>").startsWith("250"));
                assertTrue(c.command("RSET").startsWith("250"));
            }
            String fourth = c.command("MAIL FROM:<a@sluice.test>");
            assertTrue(fourth, fourth.startsWith("450 4.7.1 Message rate limit exceeded for 127.0.0.4 (limit 3/min)"));
        }
        try (SmtpClient c = new SmtpClient(sluice.smtpPort(), InetAddress.getByName("127.0.0.5"))) {
            assertTrue(c.command("MAIL FROM:<a@sluice.test>").startsWith("250"));
            for (int i = 0; i < 5; i++) {
                assertTrue(c.command("RCPT TO:<r" + i + "@shaped.test>").startsWith("250"));
            }
            String sixth = c.command("RCPT TO:<r6@shaped.test>");
            assertTrue(sixth, sixth.startsWith("452 4.5.3 Recipient rate limit exceeded for 127.0.0.5 (limit 5/min)"));
        }
    }

    @Test
    public void e4_failedAuthLocksTheAddressOut() throws Exception {
        String wrong = plain("alice", "wrong");
        try (SmtpClient c = new SmtpClient(sluice.smtpPort(), InetAddress.getByName("127.0.0.6"))) {
            for (int i = 0; i < 3; i++) {
                String r = c.command("AUTH PLAIN " + wrong);
                assertTrue(r, r.startsWith("535 5.7.8"));
            }
            String locked = c.command("AUTH PLAIN " + plain("alice", "secret"));
            assertTrue(locked, locked.startsWith("454 4.7.0 Too many failed authentication attempts from 127.0.0.6"));
            assertTrue("the session goes on", c.command("NOOP").startsWith("250"));
        }
        try (SmtpClient other = new SmtpClient(sluice.smtpPort(), InetAddress.getByName("127.0.0.7"))) {
            String ok = other.command("AUTH PLAIN " + plain("alice", "secret"));
            assertTrue("another address is not locked out: " + ok, ok.startsWith("235 2.7.0"));
        }
        assertTrue(sluice.awaitLog(Duration.ofSeconds(5), "127.0.0.6 failed AUTH 3 times"));
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void y_theSuspensionExpiresByItselfAndTheMailIsThenDelivered() throws Exception {
        assertTrue("a_ ran first", busyUntil != null);
        Duration left = Duration.between(Instant.now(), busyUntil).plusSeconds(30);
        assertTrue("not delivered after the suspension ended at " + busyUntil, SluiceDistribution.await(left,
                () -> busy.received().size() == 2));
        Instant first = busy.arrivals().stream().map(a -> Instant.now().minusNanos(System.nanoTime() - a.nanos()))
                .min(Instant::compareTo).orElseThrow();
        System.out.printf("busy: suspended %s until %s, first delivery %s%n", busySince, busyUntil, first);
        assertFalse("delivered during the suspension: " + first, first.isBefore(busyUntil.minusMillis(100)));
        assertFalse(console.rowOrEmpty("route:busy").contains("busy-suspend"));
        assertTrue(sluice.log().contains("backoff rule 'busy-suspend' on default->route:busy ended at"));
    }
}
