package com.example.sluice.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.api.filter.HeaderChange;
import dev.sluice.api.filter.MailFromRequest;
import dev.sluice.api.filter.Verdict;
import dev.sluice.api.mail.ClientIdentity;
import dev.sluice.api.mail.HeaderField;
import dev.sluice.api.mail.ReversePath;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter without Sluice: construct it with a configuration, call its hooks, look at the verdicts. */
class SenderPolicyFilterTest {

    private static SenderPolicyFilter filter(Map<String, Object> values) {
        SenderPolicyFilter.Config config = (SenderPolicyFilter.Config) Proxy.newProxyInstance(
                SenderPolicyFilter.Config.class.getClassLoader(), new Class<?>[] {SenderPolicyFilter.Config.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
        return new SenderPolicyFilter(config);
    }

    private static Verdict mailFrom(SenderPolicyFilter f, String sender) {
        MailFromRequest request = new MailFromRequest(ClientIdentity.local("test"), ReversePath.parse(sender), Map.of());
        return f.onMailFrom(request).toCompletableFuture().join();
    }

    @Test
    void refusesBlockedDomainsAndTheirSubdomainsOnly() {
        SenderPolicyFilter f = filter(Map.of("blockedSenderDomains", new String[] {"Spam.Example, junk.example"}));
        assertEquals(Verdict.reject(550, "5.7.1", "Mail from spam.example is not accepted here"),
                mailFrom(f, "a@spam.example"));
        assertEquals(Verdict.reject(550, "5.7.1", "Mail from mx.junk.example is not accepted here"),
                mailFrom(f, "a@mx.junk.example"));
        assertEquals(Verdict.CONTINUE, mailFrom(f, "a@notspam.example"));
        assertEquals(Verdict.CONTINUE, mailFrom(f, "")); // bounces have no sender domain
    }

    @Test
    void tagsEveryAcceptedMessage() {
        SenderPolicyFilter f = filter(Map.of("headerName", "X-Checked-By", "headerValue", "example"));
        Verdict v = f.onData(null).toCompletableFuture().join();
        assertEquals(new Verdict.ModifyHeaders(List.of(new HeaderChange.Add(new HeaderField("X-Checked-By", "example")))),
                v);
    }

    @Test
    void aBadHeaderNameIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> filter(Map.of("headerName", "X Bad:")));
        assertEquals(true, e.getMessage().startsWith("headerName"));
    }
}
