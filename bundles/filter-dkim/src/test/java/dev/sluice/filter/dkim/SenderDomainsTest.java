package dev.sluice.filter.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.HeaderField;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SenderDomainsTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "alice@example.com                                  | example.com",
        "Alice <alice@Example.COM>                          | example.com",
        "\"a@fake.example\" <alice@example.com> (c@x.example) | example.com",
        "\"Doe, Jane\" <jane@example.com>, bob@other.example | example.com;other.example",
        "=?utf-8?q?J=C3=BCrgen?= <j@b\u00fccher.example>     | xn--bcher-kva.example",
        "undisclosed-recipients:;                           | ''",
    })
    void addressDomainsOfAFromValue(String value, String expected) {
        List<String> found = SenderDomains.addressDomains(value).stream().map(SenderDomains::normalise).toList();
        assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split(";")), found);
    }

    @Test
    void signsOnlyWhenTheSingleFromIsWhollyCovered() {
        SenderDomains exact = new SenderDomains(List.of("Example.com."), false);
        assertTrue(exact.covers(from("a@example.com")));
        assertFalse(exact.covers(from("a@news.example.com")));
        assertFalse(exact.covers(from("a@example.com.evil.example")));
        assertFalse(exact.covers(from("a@notexample.com")));
        assertFalse(exact.covers(from("a@example.com, b@other.example")));
        assertFalse(exact.covers(List.of(new HeaderField("Subject", "no From"))));
        assertFalse(exact.covers(List.of(new HeaderField("From", "a@example.com"),
                new HeaderField("From", "b@example.com"))));
        SenderDomains subdomains = new SenderDomains(List.of("example.com"), true);
        assertTrue(subdomains.covers(from("a@news.example.com")));
        assertTrue(subdomains.covers(from("a@example.com")));
        assertFalse(subdomains.covers(from("a@badexample.com")));
    }

    private static List<HeaderField> from(String value) {
        return List.of(new HeaderField("To", "x@y.example"), new HeaderField("From", value));
    }
}
