package dev.sluice.delivery.smtp;

import dev.sluice.api.delivery.DeliveryAgent;
import dev.sluice.api.delivery.DeliveryReport;
import dev.sluice.api.delivery.DeliveryRequest;
import dev.sluice.api.ratelimit.TrafficShaper;
import java.util.concurrent.CompletionStage;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The outbound SMTP client. TrafficShaper is a static, mandatory reference: connection permits are tied to the
 * shaper instance that issued them, so a replaced shaper re-activates this component (idle connections are
 * closed, in-flight deliveries end DEFERRED) rather than mixing permits of two shapers.
 */
@Component(service = DeliveryAgent.class, configurationPid = SmtpDeliveryAgent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SmtpDeliveryAgent.Config.class)
public final class SmtpDeliveryAgent implements DeliveryAgent {
    static final String PID = "dev.sluice.delivery.smtp";

    @ObjectClassDefinition(name = "Sluice SMTP delivery", description = "The outbound SMTP client.")
    public @interface Config {
        @AttributeDefinition(name = "I/O threads", description = "NIO processor threads shared by all sessions. "
                + "Range: 1 to 64.", min = "1", max = "64")
        int ioThreads() default 4;

        @AttributeDefinition(name = "Worker threads",
                description = "Threads that read message content and run delivery logic off the I/O threads. "
                + "Range: 1 to 256.", min = "1", max = "256")
        int workerThreads() default 4;

        @AttributeDefinition(name = "Connect timeout (seconds)", description = "TCP connection establishment. "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int connectTimeoutSeconds() default 30;

        @AttributeDefinition(name = "Greeting timeout (seconds)", description = "Wait for the 220 greeting (RFC 5321 4.5.3.2.1). "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int greetingTimeoutSeconds() default 300;

        @AttributeDefinition(name = "MAIL timeout (seconds)", description = "Wait for the MAIL FROM reply (RFC 5321 4.5.3.2.2). "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int mailTimeoutSeconds() default 300;

        @AttributeDefinition(name = "RCPT timeout (seconds)", description = "Wait for each RCPT TO reply (RFC 5321 4.5.3.2.3). "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int rcptTimeoutSeconds() default 300;

        @AttributeDefinition(name = "DATA initiation timeout (seconds)", description = "Wait for the 354 reply (RFC 5321 4.5.3.2.4). "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int dataInitiationTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Data block timeout (seconds)", description = "Each block of content written (RFC 5321 4.5.3.2.5). "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int dataBlockTimeoutSeconds() default 180;

        @AttributeDefinition(name = "DATA termination timeout (seconds)", description = "Wait for the reply to the final dot (RFC 5321 4.5.3.2.6). "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int dataTerminationTimeoutSeconds() default 600;

        @AttributeDefinition(name = "Command timeout (seconds)",
                description = "Wait for replies to EHLO, HELO, STARTTLS (including the TLS handshake), AUTH, RSET and QUIT. "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int commandTimeoutSeconds() default 300;

        @AttributeDefinition(name = "Idle timeout (seconds)", description = "How long a pooled connection waits for "
                + "the next message; it holds a connection slot meanwhile (the receiver counts it). Range: 1 to 300.",
                min = "1", max = "" + Settings.MAX_IDLE_SECONDS)
        int idleTimeoutSeconds() default 30;

        @AttributeDefinition(name = "Connection slot wait (seconds)",
                description = "How long to wait for the traffic shaper to allow a new connection before deferring with 4.4.5. "
                + "Range: 1 to 3600.", min = "1", max = "3600")
        int permitWaitSeconds() default 60;

        @AttributeDefinition(name = "Maximum reply line length (bytes)", description = "Longer reply lines fail the session. "
                + "Range: 512 to 65536.", min = "512", max = "65536")
        int maxLineLength() default 2048;

        @AttributeDefinition(name = "Maximum reply lines", description = "More lines in one reply fail the session. "
                + "Range: 1 to 10000.", min = "1", max = "10000")
        int maxReplyLines() default 200;

        @AttributeDefinition(name = "Maximum recipients per transaction",
                description = "Upper bound for RCPTs in one MAIL transaction (the path limit applies too). "
                + "Range: 1 to 100000.", min = "1", max = "100000")
        int maxRecipientsPerTransaction() default 100;

        @AttributeDefinition(name = "Pipelining", description = "Use PIPELINING (RFC 2920) when the server offers it")
        boolean pipelining() default true;

        @AttributeDefinition(name = "AUTH over clear text",
                description = "Send AUTH credentials on connections without TLS (off: such hops defer with 4.7.0)")
        boolean authOverPlaintext() default false;

        @AttributeDefinition(name = "Data chunk (bytes)", description = "Content read and written per block. "
                + "Range: 512 to 1048576 (1 MiB).", min = "512", max = "1048576")
        int dataChunkBytes() default 16384;
    }

    private final ClientRuntime runtime;

    @Activate
    public SmtpDeliveryAgent(@Reference(name = "trafficShaper") TrafficShaper shaper, Config config) {
        this(shaper, config, TlsUpgrade.Contexts.create());
    }

    /** With other trust anchors for VERIFY (tests). */
    SmtpDeliveryAgent(TrafficShaper shaper, Config config, TlsUpgrade.Contexts tls) {
        this.runtime = new ClientRuntime(Settings.from(config), shaper, tls);
    }

    @Override
    public CompletionStage<DeliveryReport> deliver(DeliveryRequest request) {
        return new Delivery(request, runtime).start();
    }

    @Deactivate
    void deactivate() {
        runtime.close();
    }
}
