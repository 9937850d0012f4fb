package dev.sluice.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.Reply;
import dev.sluice.api.routing.Credentials;
import dev.sluice.api.routing.NextHop;
import dev.sluice.api.routing.Route;
import java.lang.annotation.Annotation;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteCommandTest {

    private final List<String> asked = new ArrayList<>();
    private final RouteCommand command = new RouteCommand(config(1));

    static RouteCommand.Config config(int seconds) {
        return new RouteCommand.Config() {
            public int timeoutSeconds() {
                return seconds;
            }

            public Class<? extends Annotation> annotationType() {
                return RouteCommand.Config.class;
            }
        };
    }

    @Test
    void printsTheHopsOfAnIdnDomainInAsciiForm() throws Exception {
        Route hops = new Route.Hops("xn--bcher-kva.example", "mx1+mx2", List.of(
                new NextHop("mx1.example.net", InetAddress.getByName("192.0.2.1"), 25, 10,
                        dev.sluice.api.routing.TlsPolicy.OPPORTUNISTIC, null),
                new NextHop("relay.example.net", InetAddress.getByName("2001:db8::2"), 587, 20,
                        dev.sluice.api.routing.TlsPolicy.VERIFY, new Credentials("relayuser", "secret"))));
        command.router = domain -> {
            asked.add(domain);
            return CompletableFuture.completedFuture(hops);
        };
        String out = command.route("Bücher.example");
        assertEquals(List.of("xn--bcher-kva.example"), asked);
        assertEquals("xn--bcher-kva.example -> site mx1+mx2\n"
                + "PREF  HOST               ADDRESS               PORT  TLS            AUTH\n"
                + "10    mx1.example.net    192.0.2.1             25    OPPORTUNISTIC  -\n"
                + "20    relay.example.net  2001:db8:0:0:0:0:0:2  587   VERIFY         relayuser\n", out);
        assertTrue(!out.contains("secret"));
    }

    @Test
    void printsAFailureWithWhatHappensToTheMail() throws Exception {
        command.router = d -> CompletableFuture.completedFuture(new Route.Failure(Reply.of(550, "5.1.10", "null MX")));
        assertEquals("nomail.example: no route: 550 5.1.10 null MX (bounce)\n", command.route("nomail.example"));
        command.router = d -> CompletableFuture.completedFuture(new Route.Failure(Reply.of(451, "4.4.3", "SERVFAIL")));
        assertTrue(command.route("x.example").endsWith("(defer)\n"));
    }

    @Test
    void timeoutMissingRouterAndBadDomainAreClearErrors() {
        assertTrue(assertThrows(IllegalStateException.class, () -> command.route("a.example")).getMessage()
                .startsWith("router not available"));
        command.router = d -> new CompletableFuture<>();
        assertEquals("no answer for slow.example within 1 s",
                assertThrows(IllegalStateException.class, () -> command.route("slow.example")).getMessage());
        command.router = d -> CompletableFuture.failedFuture(new IllegalStateException("boom"));
        assertTrue(assertThrows(IllegalStateException.class, () -> command.route("a.example")).getMessage()
                .contains("boom"));
        assertThrows(IllegalArgumentException.class, () -> command.route("bad..domain"));
    }
}
