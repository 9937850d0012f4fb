package com.example.sluice.filter;

import dev.sluice.api.filter.DataFilter;
import dev.sluice.api.filter.DataRequest;
import dev.sluice.api.filter.FilterProperties;
import dev.sluice.api.filter.MailFromFilter;
import dev.sluice.api.filter.MailFromRequest;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.MailAddress;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Refuses MAIL FROM a configured sender domain (or any of its subdomains) with 550 5.7.1, and adds a header to
 * every message it lets through. Two hooks, one component: Sluice calls each hook at its phase.
 */
@Component(configurationPid = SenderPolicyFilter.PID, service = {MailFromFilter.class, DataFilter.class},
        property = {FilterProperties.NAME + "=example-sender-policy", "service.ranking:Integer=100",
                FilterProperties.TIMEOUT_MILLIS + ":Integer=1000"})
@Designate(ocd = SenderPolicyFilter.Config.class)
public final class SenderPolicyFilter implements MailFromFilter, DataFilter {

    static final String PID = "com.example.sluice.filter";

    @ObjectClassDefinition(name = "Example sender policy filter",
            description = "Refuses mail from some sender domains; tags accepted mail with a header.")
    public @interface Config {
        @AttributeDefinition(name = "Blocked sender domains",
                description = "Domains (and their subdomains) whose senders get 550 5.7.1 at MAIL FROM. "
                        + "In a .cfg file: one line, comma-separated.")
        String[] blockedSenderDomains() default {};

        @AttributeDefinition(name = "Header name", description = "The header added to every accepted message.")
        String headerName() default "X-Example-Filter";

        @AttributeDefinition(name = "Header value")
        String headerValue() default "checked";
    }

    private final Set<String> blocked;
    private final String headerName;
    private final String headerValue;

    @Activate
    public SenderPolicyFilter(Config config) {
        // a .cfg file gives one string: accept "a.example, b.example" as well as a real array
        blocked = Arrays.stream(config.blockedSenderDomains()).flatMap(v -> Arrays.stream(v.split("[,\\s]+")))
                .filter(d -> !d.isBlank()).map(d -> MailAddress.toAsciiDomain(d.strip()))
                .collect(Collectors.toUnmodifiableSet());
        headerName = config.headerName().strip();
        headerValue = config.headerValue().strip();
        if (!headerName.matches("[!-9;-~]+")) {
            throw new IllegalArgumentException("headerName must be a header field name (printable ASCII, no colon), got '"
                    + config.headerName() + "'");
        }
    }

    @Override
    public CompletionStage<Verdict> onMailFrom(MailFromRequest request) {
        String domain = request.sender().address().map(MailAddress::asciiDomain).orElse(null);
        if (domain != null && isBlocked(domain)) {
            return CompletableFuture.completedFuture(
                    Verdict.reject(550, "5.7.1", "Mail from " + domain + " is not accepted here"));
        }
        return CompletableFuture.completedFuture(Verdict.CONTINUE);
    }

    @Override
    public CompletionStage<Verdict> onData(DataRequest request) {
        return CompletableFuture.completedFuture(Verdict.addHeader(headerName, headerValue));
    }

    private boolean isBlocked(String domain) {
        for (String d = domain; ; d = d.substring(d.indexOf('.') + 1)) {
            if (blocked.contains(d)) {
                return true;
            }
            if (d.indexOf('.') < 0) {
                return false;
            }
        }
    }
}
