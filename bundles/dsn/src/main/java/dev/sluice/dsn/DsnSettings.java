package dev.sluice.dsn;

import dev.sluice.api.mail.MailAddress;
import java.time.Duration;
import java.util.Locale;

/** {@link DsnConfig} validated once at activation; a bad value fails activation naming the key. */
record DsnSettings(String reportingMta, String postmaster, boolean unspecifiedReturnsFull, long fullReturnMaxBytes,
                   Duration lifetime, Duration commitTimeout) {

    static DsnSettings of(DsnConfig config, String localHostName) {
        String configured = config.reportingMta().isBlank() ? localHostName : config.reportingMta().strip();
        String host;
        try {
            // The api's domain validation; A-labels because the name goes into 7-bit fields.
            host = new MailAddress("postmaster", configured).asciiDomain();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reportingMta: '" + configured + "' is not a host name: "
                    + e.getMessage(), e);
        }
        String postmaster = "MAILER-DAEMON@" + host;
        if (!config.postmaster().isBlank()) {
            try {
                postmaster = MailAddress.parse(config.postmaster().strip()).toString();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("postmaster: '" + config.postmaster() + "' is not an address: "
                        + e.getMessage(), e);
            }
        }
        String ret = config.unspecifiedReturn().strip().toUpperCase(Locale.ROOT);
        if (!ret.equals("HEADERS") && !ret.equals("FULL")) {
            throw new IllegalArgumentException("unspecifiedReturn must be HEADERS or FULL, not '"
                    + config.unspecifiedReturn() + "'");
        }
        if (config.fullReturnMaxBytes() < 0) {
            throw new IllegalArgumentException("fullReturnMaxBytes must be 0 or more, not "
                    + config.fullReturnMaxBytes());
        }
        if (config.messageLifetimeHours() < 0) {
            throw new IllegalArgumentException("messageLifetimeHours must be 0 or more, not "
                    + config.messageLifetimeHours());
        }
        if (config.commitTimeoutSeconds() <= 0) {
            throw new IllegalArgumentException("commitTimeoutSeconds must be positive, not "
                    + config.commitTimeoutSeconds());
        }
        return new DsnSettings(host, postmaster, ret.equals("FULL"), config.fullReturnMaxBytes(),
                Duration.ofHours(config.messageLifetimeHours()), Duration.ofSeconds(config.commitTimeoutSeconds()));
    }
}
