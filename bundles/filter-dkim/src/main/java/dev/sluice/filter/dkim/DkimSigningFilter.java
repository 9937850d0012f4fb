package dev.sluice.filter.dkim;

import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.PreDeliveryFilter;
import dev.sluice.api.filter.PreDeliveryRequest;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.HeaderField;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs each message whose From domain matches, just before delivery: the pre-delivery phase sees the header
 * exactly as it will be sent, and the lowest ranking makes this filter the last to change it. The queued copy
 * is never changed, so every attempt is signed afresh (new t=) with the same body hash.
 */
@Component(service = PreDeliveryFilter.class, configurationPid = DkimSigningFilter.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        property = {"service.ranking:Integer=" + DkimSigningFilter.RANKING, FilterProperties.NAME + "=dkim",
            FilterProperties.TIMEOUT_MILLIS + "=60000"})
@Designate(ocd = DkimConfig.class, factory = true)
public final class DkimSigningFilter implements PreDeliveryFilter {

    static final String PID = "dev.sluice.filter.dkim";
    /** Below every filter that keeps the default 0, so their header changes are signed. */
    static final int RANKING = -10000;
    static final long KEY_RETRY_MILLIS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(DkimSigningFilter.class);

    private final String label;
    private final boolean tempFail;
    private final SenderDomains senders;
    private final Clock clock;
    private final DkimConfig config;
    private final Path home;
    private volatile Signer signer;
    private long retryAtMillis;

    @Activate
    public DkimSigningFilter(DkimConfig config, BundleContext context) {
        this(config, home(context), Clock.systemUTC());
    }

    DkimSigningFilter(DkimConfig config, Path home, Clock clock) {
        this.label = SignerSetup.label(config);
        this.config = config;
        this.home = home;
        this.clock = clock;
        String mode = config.failureMode().strip();
        if (!mode.equals("tempfail") && !mode.equals("unsigned")) {
            throw new IllegalArgumentException(PID + " " + label + ": failureMode '" + mode
                    + "' must be tempfail or unsigned");
        }
        this.tempFail = mode.equals("tempfail");
        if (!config.domain().strip().matches("[^\\s@/]+\\.[^\\s@/]+")) {
            throw new IllegalArgumentException(PID + ": domain '" + config.domain() + "' must be a domain name");
        }
        String[] senderDomains = config.senderDomains().length == 0 ? new String[] {config.domain()}
                : config.senderDomains();
        this.senders = new SenderDomains(Arrays.stream(senderDomains).filter(d -> !d.isBlank()).toList(),
                config.includeSubdomains());
        try {
            this.signer = SignerSetup.create(config, home, clock);
            announce(signer);
        } catch (IllegalArgumentException e) {
            if (!tempFail) {
                LOG.error("{}; not signing, mail From {} goes out without this signature (failureMode=unsigned)",
                        e.getMessage(), senders.domains());
                throw e;
            }
            LOG.error("{}; mail From {} is deferred (451 4.7.5) until the key is fixed (failureMode=tempfail); "
                    + "retrying every {} s", e.getMessage(), senders.domains(), KEY_RETRY_MILLIS / 1000);
            this.retryAtMillis = clock.millis() + KEY_RETRY_MILLIS;
        }
    }

    @Override
    public CompletionStage<Verdict> beforeDelivery(PreDeliveryRequest request) {
        if (!senders.covers(request.headers())) {
            return CompletableFuture.completedFuture(Verdict.CONTINUE);
        }
        Signer current = current();
        if (current == null) {
            return CompletableFuture.completedFuture(keyUnavailable());
        }
        try {
            HeaderField signature = current.sign(request.queueId().value(), request.content());
            return CompletableFuture.completedFuture(
                    new Verdict.ModifyHeaders(List.of(new HeaderChange.Add(signature))));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("DKIM key {}: cannot sign {} ({}): {}", label, request.queueId(),
                    tempFail ? "deferred" : "sent unsigned", e.toString());
            return CompletableFuture.completedFuture(tempFail
                    ? Verdict.tempFail(451, "4.7.5", "DKIM signing failed for " + label + ", will retry")
                    : Verdict.CONTINUE);
        }
    }

    /** The signer, or null while the key is unusable; a broken key is re-read once a retry interval has passed. */
    private Signer current() {
        Signer s = signer;
        if (s != null) {
            return s;
        }
        synchronized (this) {
            if (signer == null && clock.millis() >= retryAtMillis) {
                try {
                    signer = SignerSetup.create(config, home, clock);
                    LOG.info("DKIM key {} is usable now; deferred mail will be signed", label);
                    announce(signer);
                } catch (IllegalArgumentException e) {
                    retryAtMillis = clock.millis() + KEY_RETRY_MILLIS;
                    LOG.error("{}; mail From {} stays deferred", e.getMessage(), senders.domains());
                }
            }
            return signer;
        }
    }

    private Verdict keyUnavailable() {
        return Verdict.tempFail(451, "4.7.5", "DKIM key " + label + " unusable, will retry");
    }

    private void announce(Signer s) {
        LOG.info("DKIM key {}: {} {}-bit, {}/{}, signs mail From {}{}. Publish: {}", label,
                s.key().algorithm().tag, s.key().bits(), s.settings().headerCanon().tag(),
                s.settings().bodyCanon().tag(), senders.domains(), config.includeSubdomains() ? " and subdomains" : "",
                DnsRecord.zoneLine(s.settings().selector(), s.settings().domain(), s.key().dnsRecord()));
    }

    private static Path home(BundleContext context) {
        String home = context == null ? null : context.getProperty("sluice.home");
        // the start script also makes sluice.home the working directory, so "." is the right fallback
        return Path.of(home == null || home.isBlank() ? "." : home);
    }
}
