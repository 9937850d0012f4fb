package dev.sluice.dsn;

import static dev.sluice.api.config.ConfigCheck.between;
import static dev.sluice.api.config.ConfigCheck.oneOf;

import dev.sluice.api.mail.MailAddress;
import java.time.Duration;

/** {@link DsnConfig} validated once at activation; a bad value fails activation naming the key. */
record DsnSettings(String reportingMta, String postmaster, boolean unspecifiedReturnsFull, long fullReturnMaxBytes,
                   Duration lifetime, Duration commitTimeout) {

    static final long MAX_FULL_RETURN_BYTES = 1L << 30;

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
        String ret = oneOf("unspecifiedReturn", config.unspecifiedReturn(), "HEADERS", "FULL");
        between("fullReturnMaxBytes", config.fullReturnMaxBytes(), 0, MAX_FULL_RETURN_BYTES);
        between("messageLifetimeHours", config.messageLifetimeHours(), 0, 8760);
        between("commitTimeoutSeconds", config.commitTimeoutSeconds(), 1, 3600);
        return new DsnSettings(host, postmaster, ret.equals("FULL"), config.fullReturnMaxBytes(),
                Duration.ofHours(config.messageLifetimeHours()), Duration.ofSeconds(config.commitTimeoutSeconds()));
    }
}
