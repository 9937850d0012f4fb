package dev.sluice.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.delivery.BounceCategory;
import dev.sluice.api.mail.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleBasedClassifierTest {

    @TempDir
    Path home;

    RuleBasedClassifier classifier(String rulesFile) {
        return new RuleBasedClassifier(Configs.of(RuleBasedClassifier.Config.class, Map.of("rulesFile", rulesFile)),
                home);
    }

    static Reply reply(int code, String enhanced, String text) {
        return Reply.of(code, enhanced == null || enhanced.isEmpty() ? null : enhanced, text);
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "", textBlock = """
            550 | 5.1.1   | User unknown                                                           | bad-mailbox
            550 | 5.1.1   | The email account that you tried to reach does not exist.              | bad-mailbox
            553 | 5.1.3   | Bad destination mailbox address syntax                                 | bad-mailbox
            550 |         | No such user here                                                      | bad-mailbox
            550 | 5.0.0   | Requested action not taken: mailbox unavailable                        | bad-mailbox
            550 | 5.1.2   | Host unknown                                                           | bad-domain
            556 | 5.1.10  | Recipient address has null MX                                          | bad-domain
            550 |         | Unrouteable address                                                    | bad-domain
            550 | 5.2.1   | The email account that you tried to reach is disabled.                 | inactive-mailbox
            554 |         | This account has been disabled or discontinued                         | inactive-mailbox
            550 | 5.7.13  | User account disabled                                                  | inactive-mailbox
            552 | 5.2.2   | Mailbox full                                                           | quota
            452 | 4.2.2   | The email account that you tried to reach is over quota.               | quota
            552 |         | Quota exceeded for this recipient                                      | quota
            550 | 5.7.1   | Relaying denied                                                        | policy
            450 | 4.7.1   | Client host rejected: cannot find your hostname                        | policy
            550 | 5.7.26  | This mail has been blocked because the sender is unauthenticated.      | policy
            550 | 5.7.23  | SPF validation failed                                                  | policy
            554 | 5.7.1   | Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org | spam
            554 | 5.7.1   | Message rejected as spam by Content Filtering.                         | spam
            550 | 5.7.1   | Our system has detected that this message is likely unsolicited mail.  | spam
            550 | 5.7.1   | Messages from [192.0.2.1] weren't sent; part of their network is on our block list (S3150). | spam
            550 | 5.7.606 | Access denied, banned sending IP [192.0.2.1]                           | spam
            421 | 4.7.0   | [TS01] Messages from 192.0.2.1 temporarily deferred due to user complaints | spam
            554 |         | Your IP is listed on a blacklist                                       | spam
            421 | 4.7.0   | [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints | rate-limited
            451 | 4.7.650 | The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation. | rate-limited
            451 | 4.7.500 | Server busy. Please try again later from [192.0.2.1]. (AS843)         | rate-limited
            421 | 4.7.28  | Our system has detected an unusual rate of unsolicited mail originating from your IP address. | rate-limited
            421 | 4.7.0   | Too many concurrent SMTP connections from this IP address              | rate-limited
            450 | 4.2.1   | The user you are trying to contact is receiving mail at a rate that prevents additional messages | rate-limited
            421 |         | Too many connections, slow down                                        | rate-limited
            530 | 5.7.0   | Must issue a STARTTLS command first                                    | tls
            454 | 4.7.0   | TLS not available due to local problem                                 | tls
            550 | 5.7.10  | Encryption needed                                                      | tls
            454 | 4.7.5   | Cryptographic failure                                                  | tls
            451 | 4.4.3   | DNS lookup failed (SERVFAIL)                                           | dns
            451 |         | Temporary DNS failure: no MX                                           | dns
            451 | 4.4.1   | Connection timed out                                                   | network
            421 | 4.4.2   | Connection dropped                                                     | network
            554 | 5.4.6   | Routing loop detected                                                  | routing
            550 | 5.4.4   | Unable to route                                                        | routing
            552 | 5.3.4   | Message size exceeds fixed limit                                       | content
            554 | 5.6.0   | Message content rejected                                               | content
            554 |         | Message rejected because it contains a virus                           | content
            550 | 5.6.7   | Non-ASCII addresses not permitted for that sender                      | protocol
            500 | 5.5.1   | Command unrecognized                                                   | protocol
            451 | 4.3.0   | Temporary local problem                                                | other
            421 |         | Service not available, closing transmission channel                    | other
            """)
    void builtInRulesClassify(int code, String enhanced, String text, String expected) {
        assertEquals(expected, classifier("absent.conf").classify(reply(code, enhanced, text)).label());
    }

    @Test
    void multiLineRepliesAreMatchedAsOneLine() {
        Reply gmail = Reply.of(550, "5.1.1", "The email account that you tried to reach does\nnot exist. Please try");
        assertEquals(BounceCategory.BAD_MAILBOX, classifier("absent.conf").classify(gmail));
        assertEquals("550 5.1.1 a b", BounceRule.subject(Reply.of(550, "5.1.1", "a\nb")));
        assertEquals("550 a b", BounceRule.subject(Reply.of(550, null, "a\nb")));
    }

    @Test
    void builtInRulesAreAllValid() throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                RuleBasedClassifier.class.getResourceAsStream(RuleBasedClassifier.BUILT_IN), StandardCharsets.UTF_8))) {
            RulesParser.Result result = RulesParser.parse("built-in", reader);
            assertEquals(List.of(), result.problems());
            assertTrue(result.rules().size() > 40, "rules loaded: " + result.rules().size());
        }
    }

    @Test
    void operatorRuleOverridesBuiltIn() throws IOException {
        Reply reply = Reply.of(550, "5.1.1", "Recipient account expired");
        assertEquals(BounceCategory.BAD_MAILBOX, classifier("absent.conf").classify(reply));
        Files.writeString(home.resolve("rules.conf"), "# ours\ninactive-mailbox = account expired\n");

        RuleBasedClassifier classifier = classifier("rules.conf");

        assertEquals(BounceCategory.INACTIVE_MAILBOX, classifier.classify(reply));
        assertEquals(List.of(), classifier.problems());
        assertEquals(BounceCategory.QUOTA, classifier.classify(Reply.of(552, "5.2.2", "full")), "built-ins still apply");
    }

    @Test
    void malformedLinesAreReportedWithFileAndLineAndSkipped() throws IOException {
        Path file = Files.writeString(home.resolve("bad-rules.conf"), String.join("\n",
                "# comment",
                "spam = snowshoe",
                "nonsense-category = x",
                "policy = ([unclosed",
                "just some words",
                "",
                "quota = ",
                "RATE_LIMITED = slow down please"));

        RuleBasedClassifier classifier = classifier("bad-rules.conf");

        List<String> problems = classifier.problems();
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith(file + " line 3: unknown category 'nonsense-category'"), problems.get(0));
        assertTrue(problems.get(1).startsWith(file + " line 4: invalid regex"), problems.get(1));
        assertTrue(problems.get(2).startsWith(file + " line 5: expected 'category = regex'"), problems.get(2));
        assertTrue(problems.get(3).startsWith(file + " line 7: empty regex"), problems.get(3));
        assertEquals(BounceCategory.SPAM, classifier.classify(Reply.of(554, null, "snowshoe detected")));
        assertEquals(BounceCategory.RATE_LIMITED, classifier.classify(Reply.of(451, null, "slow down please")),
                "the rule after the bad lines still works, enum names accepted");
    }

    @Test
    void changedConfigurationReloadsTheFile() throws IOException {
        Path file = Files.writeString(home.resolve("rules.conf"), "spam = first version\n");
        RuleBasedClassifier classifier = classifier("rules.conf");
        Reply reply = Reply.of(550, null, "second version");
        assertEquals(BounceCategory.OTHER, classifier.classify(reply));

        Files.writeString(file, "content = second version\n");
        classifier.modified(Configs.of(RuleBasedClassifier.Config.class, Map.of("rulesFile", "rules.conf")));

        assertEquals(BounceCategory.CONTENT, classifier.classify(reply));
    }

    @Test
    void missingFileMeansBuiltInRulesOnlyWithoutProblems() {
        RuleBasedClassifier classifier = classifier("conf/nothing-here.conf");
        assertEquals(List.of(), classifier.problems());
        assertEquals(BounceCategory.BAD_MAILBOX, classifier.classify(Reply.of(550, "5.1.1", "unknown")));
    }
}
