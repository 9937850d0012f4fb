package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimSigningFilterTest {

    static final KeyPair RSA = TestKeys.rsa(2048);
    static final Pattern H = Pattern.compile("h=([^;]*);");
    static final Pattern BH = Pattern.compile("bh=([^;]*);");

    @TempDir
    Path home;
    final MutableClock clock = new MutableClock();

    DkimSigningFilter filter(Object... extra) throws IOException {
        if (!Files.exists(home.resolve("keys/s1.pem"))) {
            Files.createDirectories(home.resolve("keys"));
            TestKeys.write(home.resolve("keys"), "s1.pem", TestKeys.pkcs8Pem(RSA));
        }
        Object[] base = {"domain", "example.com", "selector", "s1", "keyFile", "keys/s1.pem"};
        Object[] all = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return new DkimSigningFilter(Configs.of(all), home, clock);
    }

    @Test
    void signsMailFromTheDomainWithFromOversignedAndEveryInstanceOfRepeatedFields() throws IOException {
        Content message = Content.of(Messages.small().get("trailing-lines"));
        HeaderField sig = signature(Delivery.verdict(filter(), Delivery.request("Q1", message)));
        assertEquals("DKIM-Signature", sig.name());
        String value = sig.value();
        assertTrue(value.startsWith("v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\r\n\tt="
                + clock.instant().getEpochSecond() + "; h="), value);
        assertEquals("From:From:Subject:To:To", tag(H, value));
    }

    @Test
    void leavesOtherSendersAlone() throws IOException {
        DkimSigningFilter filter = filter();
        for (String from : new String[] {"a@other.example", "a@news.example.com", "\"a@example.com\" <a@x.example>"}) {
            Content message = Content.of(Messages.utf8("From: " + from + "\r\n\r\nbody\r\n"));
            var request = Delivery.request("Q1", message);
            int opened = message.opened.get();
            assertEquals(Verdict.CONTINUE, Delivery.verdict(filter, request));
            assertEquals(opened, message.opened.get(), "the content is not even opened");
        }
        Content sub = Content.of(Messages.utf8("From: a@news.example.com\r\n\r\nbody\r\n"));
        signature(Delivery.verdict(filter("includeSubdomains", true), Delivery.request("Q2", sub)));
        Content listed = Content.of(Messages.utf8("From: a@brand.example\r\n\r\nbody\r\n"));
        signature(Delivery.verdict(filter("senderDomains", new String[] {"brand.example"}),
                Delivery.request("Q3", listed)));
    }

    @Test
    void theBodyOfAQueuedMessageIsHashedOnceAcrossAttempts() throws Exception {
        Path big = Messages.large(home.resolve("big.eml"), 2_000_000);
        Content message = Content.of(big);
        DkimSigningFilter filter = filter("canonicalization", "simple/simple");
        String first = signature(Delivery.verdict(filter, Delivery.request("Q1", message))).value();
        long firstRead = message.bytesRead.get();
        assertTrue(firstRead >= Files.size(big), "the first attempt reads the whole message: " + firstRead);
        clock.advance(Duration.ofMinutes(5));
        String retry = signature(Delivery.verdict(filter, Delivery.request("Q1", message))).value();
        assertTrue(message.bytesRead.get() - firstRead < 200_000, "a retry reads the header only");
        assertEquals(tag(BH, first), tag(BH, retry));
        String other = signature(Delivery.verdict(filter, Delivery.request("Q2", message))).value();
        assertEquals(tag(BH, first), tag(BH, other), "another queue id hashes again, to the same value");
        assertTrue(message.bytesRead.get() >= 2 * Files.size(big));
    }

    @Test
    void aMissingKeyInUnsignedModeFailsActivationNamingKeyAndFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DkimSigningFilter(
                Configs.of("domain", "example.com", "selector", "s1", "keyFile", "keys/none.pem", "failureMode",
                        "unsigned"), home, clock));
        assertEquals("DKIM key example.com/s1: keyFile " + home.resolve("keys/none.pem").toAbsolutePath()
                + ": no such file", e.getMessage());
    }

    @Test
    void aBadKeyInTempfailModeDefersItsMailUntilTheFileIsFixed() throws IOException {
        Files.createDirectories(home.resolve("keys"));
        Files.writeString(home.resolve("keys/s1.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        DkimSigningFilter filter = filter();
        Content mine = Content.of(Messages.small().get("plain"));
        Reply reply = assertInstanceOf(Verdict.TempFail.class, Delivery.verdict(filter, Delivery.request("Q1", mine)))
                .reply();
        assertEquals(Reply.of(451, "4.7.5", "DKIM key example.com/s1 unusable, will retry"), reply);
        Content others = Content.of(Messages.utf8("From: a@other.example\r\n\r\nx\r\n"));
        assertEquals(Verdict.CONTINUE, Delivery.verdict(filter, Delivery.request("Q2", others)));

        TestKeys.write(home.resolve("keys"), "s1.pem", TestKeys.pkcs8Pem(RSA));
        clock.advance(Duration.ofSeconds(30));
        assertInstanceOf(Verdict.TempFail.class, Delivery.verdict(filter, Delivery.request("Q1", mine)),
                "the file is re-read at most once a minute");
        clock.advance(Duration.ofSeconds(31));
        signature(Delivery.verdict(filter, Delivery.request("Q1", mine)));
    }

    @Test
    void aFailureWhileSigningFollowsTheFailureMode() throws IOException {
        Content unreadable = Content.of(Messages.small().get("plain"));
        var request = Delivery.request("Q1", unreadable);
        unreadable.failure = new IOException("disk gone");
        Verdict deferred = Delivery.verdict(filter(), request);
        assertEquals(Reply.of(451, "4.7.5", "DKIM signing failed for example.com/s1, will retry"),
                assertInstanceOf(Verdict.TempFail.class, deferred).reply());
        assertEquals(Verdict.CONTINUE, Delivery.verdict(filter("failureMode", "unsigned"), request));
    }

    @Test
    void aKeyGivenInTheConfigurationSigns() throws IOException {
        DkimSigningFilter filter = new DkimSigningFilter(Configs.of("domain", "example.com", "selector", "s2",
                "algorithm", "ed25519-sha256", "_privateKey", TestKeys.pkcs8Pem(TestKeys.ed25519())), home, clock);
        HeaderField sig = signature(Delivery.verdict(filter, Delivery.request("Q1",
                Content.of(Messages.small().get("plain")))));
        assertTrue(sig.value().contains("a=ed25519-sha256"), sig.value());
    }

    @Test
    void invalidSettingsAreRefusedWithTheirKey() {
        assertEquals("dev.sluice.filter.dkim: domain '' must be a domain name", refused("domain", ""));
        assertEquals("dev.sluice.filter.dkim example.com/s1: failureMode 'drop' must be tempfail or unsigned",
                refused("failureMode", "drop"));
        assertEquals("DKIM key example.com/s1: canonicalization 'relaxed' must be header/body, e.g. relaxed/relaxed",
                refused("canonicalization", "relaxed"));
        assertEquals("DKIM key example.com/s1: 'loose' is neither simple nor relaxed",
                refused("canonicalization", "loose/simple"));
        assertEquals("DKIM key example.com/s1: headers must include From (RFC 6376 §5.4)",
                refused("headers", new String[] {"Subject", "To"}));
        assertEquals("DKIM key example.com/s1: oversignHeaders must be listed in headers too",
                refused("oversignHeaders", new String[] {"From", "X-Unlisted"}));
        assertEquals("DKIM key example.com/s1: headers: DKIM-Signature must not be listed",
                refused("headers", new String[] {"From", "DKIM-Signature"}));
        assertEquals("DKIM key example.com/s1: set exactly one of keyFile and .privateKey",
                refused("_privateKey", "AAAA"));
        assertEquals("DKIM key example.com/s1: 'rsa-sha1' is neither rsa-sha256 nor ed25519-sha256",
                refused("algorithm", "rsa-sha1"));
        assertEquals("DKIM key example.com/bad_selector: selector 'bad_selector' must be DNS labels (letters, digits, "
                + "hyphens, dots)", refused("selector", "bad_selector"));
    }

    private String refused(String key, Object value) {
        return assertThrows(IllegalArgumentException.class,
                () -> filter(key, value, "failureMode", key.equals("failureMode") ? value : "unsigned")).getMessage();
    }

    static HeaderField signature(Verdict verdict) {
        var changes = assertInstanceOf(Verdict.ModifyHeaders.class, verdict).changes();
        assertEquals(1, changes.size());
        return assertInstanceOf(HeaderChange.Add.class, changes.get(0)).field();
    }

    static String tag(Pattern tag, String value) {
        Matcher m = tag.matcher(value.replaceAll("\r\n\t", ""));
        assertTrue(m.find(), value);
        return m.group(1);
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-06-02T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
