package dev.sluice.dsn;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of {@link DsnBounceService} (PID {@code dev.sluice.dsn}). */
@ObjectClassDefinition(name = "Sluice DSN (bounces)",
        description = "RFC 3464 delivery status notifications sent to the senders of failed or delayed mail.")
public @interface DsnConfig {

    @AttributeDefinition(name = "Reporting MTA host name",
            description = "Host name written as Reporting-MTA and in Message-IDs; empty means this machine's "
                    + "canonical host name.")
    String reportingMta() default "";

    @AttributeDefinition(name = "Postmaster address",
            description = "From address of DSNs; empty means MAILER-DAEMON@<reporting MTA host name>.")
    String postmaster() default "";

    @AttributeDefinition(name = "Return when RET is unspecified",
            description = "What of the original a failure DSN carries when the sender gave no RET parameter. "
                    + "HEADERS is the bulk-sending norm (no full copy of every bounced campaign message).",
            options = {@Option(value = "HEADERS", label = "Headers only"),
                       @Option(value = "FULL", label = "Full message")})
    String unspecifiedReturn() default "HEADERS";

    @AttributeDefinition(name = "Largest message returned in full (bytes)",
            description = "With RET=FULL a larger original is returned as headers only. "
                    + "Range: 0 to 1073741824 (1 GiB).", min = "0", max = "1073741824")
    long fullReturnMaxBytes() default 10_485_760L;

    @AttributeDefinition(name = "Message lifetime (hours)",
            description = "How long delayed recipients are retried after arrival, written as Will-Retry-Until; "
                    + "keep it equal to the scheduler's expiry. 0 leaves the field out. Range: 0 to 8760 (a year).",
            min = "0", max = "8760")
    int messageLifetimeHours() default 120;

    @AttributeDefinition(name = "Queue commit timeout (seconds)",
            description = "How long to wait for the queue to make a DSN durable before reporting a failure. "
                    + "Range: 1 to 3600.", min = "1", max = "3600")
    int commitTimeoutSeconds() default 60;
}
