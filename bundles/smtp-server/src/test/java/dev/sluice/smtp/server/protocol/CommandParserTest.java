package dev.sluice.smtp.server.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.mail.ReversePath;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "EHLO client.example|Helo",
        "ehlo [192.0.2.1]|Helo",
        "HELO client|Helo",
        "MAIL FROM:<a@b.example>|Mail",
        "mail from:<>|Mail",
        "MAIL FROM: <a@b.example> SIZE=100|Mail",
        "MAIL FROM:<@relay.example:a@b.example>|Mail",
        "MAIL FROM:<\"john doe\"@b.example>|Mail",
        "RCPT TO:<c@d.example>|Rcpt",
        "RCPT TO:<Postmaster>|Rcpt",
        "RCPT TO:<c@d.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;c+40d.example|Rcpt",
        "RCPT TO:<用户@例子.example>|Rcpt",
        "DATA|Data",
        "BDAT 100|Bdat",
        "BDAT 0 LAST|Bdat",
        "RSET|Rset",
        "NOOP|Noop",
        "NOOP anything|Noop",
        "QUIT|Quit",
        "HELP|Help",
        "VRFY user|Vrfy",
        "STARTTLS|StartTls",
        "AUTH PLAIN|Auth",
        "AUTH PLAIN AGFsaWNlAHNlY3JldA==|Auth",
        "auth login =|Auth",
    })
    void validCommands(String line, String type) {
        assertEquals(type, CommandParser.parse(line).getClass().getSimpleName(), line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FOO|500|5.5.2",
        "''|500|5.5.2",
        "EXPN list|502|5.5.1",
        "TURN|502|5.5.1",
        "EHLO|501|5.5.4",
        "HELO  |501|5.5.4",
        "MAIL|501|5.5.4",
        "MAIL TO:<a@b.example>|501|5.5.4",
        "MAIL FROM:a@b.example|501|5.5.4",
        "MAIL FROM:<a@b.example|501|5.5.4",
        "MAIL FROM:<a@b.example>SIZE=1|501|5.5.4",
        "MAIL FROM:<a@@b.example>|501|5.1.7",
        "MAIL FROM:<a b@c.example>|501|5.1.7",
        "MAIL FROM:<.a@c.example>|501|5.1.7",
        "MAIL FROM:<a..b@c.example>|501|5.1.7",
        "MAIL FROM:<a@-bad-.example>|501|5.1.7",
        "MAIL FROM:<a@b.example> SIZE=1 SIZE=2|501|5.5.4",
        "MAIL FROM:<a@b.example> =x|501|5.5.4",
        "MAIL FROM:<a@b.example> SIZE=|501|5.5.4",
        "RCPT TO:<>|501|5.5.4",
        "RCPT TO:<nodomain>|501|5.1.3",
        "RCPT FROM:<a@b.example>|501|5.5.4",
        "RCPT TO:<a@b.example> <x>|501|5.5.4",
        "DATA now|501|5.5.4",
        "RSET x|501|5.5.4",
        "QUIT now|501|5.5.4",
        "STARTTLS x|501|5.5.4",
        "BDAT|501|5.5.4",
        "BDAT -1|501|5.5.4",
        "BDAT 10 FIRST|501|5.5.4",
        "BDAT 1234567890123456789|501|5.5.4",
        "BDAT 10 LAST x|501|5.5.4",
        "AUTH|501|5.5.4",
        "AUTH PLAIN a b|501|5.5.4",
        "VRFY|501|5.5.4",
    })
    void invalidCommands(String line, int code, String status) {
        Command.Invalid invalid = assertInstanceOf(Command.Invalid.class, CommandParser.parse(line), line);
        assertEquals(code, invalid.reply().code(), line);
        assertEquals(status, invalid.reply().enhancedStatus(), line);
    }

    /** Hostile input from a fuzzing session: the parser must answer, never throw. */
    @ParameterizedTest
    @ValueSource(strings = {"MAIL FROM:<\"unterminated@x>", "MAIL FROM:<\"\\", "RCPT TO:<@>", "RCPT TO:<@a:>",
        "MAIL FROM:<a@[>", "MAIL FROM:<a@b> ENVID=+", "MAIL FROM:<a@b> ENVID=+4", "MAIL FROM:<a@b> ENVID=+zz",
        "RCPT TO:<a@b> ORCPT=;", "RCPT TO:<a@b> NOTIFY=", "\u0000\u0001", "MAIL FROM:<<<<>>>>", "EHLO \u0007",
        "RCPT TO:<" + "x" + "@" + "y", "MAIL FROM:<a@b> SIZE=99999999999999999999", "AUTH " + " ", "BDAT 1 LAST LAST"})
    void malformedCorpusNeverThrows(String line) {
        Command c = CommandParser.parse(line);
        if (c instanceof Command.Mail m) {
            assertTrue(MailParameters.parse(m.params()) != null);
        } else if (c instanceof Command.Rcpt r) {
            assertTrue(RcptParameters.parse(r.params()) != null);
        }
    }

    @Test
    void mailParametersAreDecoded() {
        Command.Mail mail = (Command.Mail) CommandParser.parse(
                "MAIL FROM:<a@b.example> size=1000 BODY=8BITMIME RET=HDRS ENVID=QQ+2Bx SMTPUTF8");
        MailParameters p = MailParameters.parse(mail.params());
        assertNull(p.error());
        assertEquals(1000, p.size());
        assertEquals("8BITMIME", p.body().keyword());
        assertEquals("QQ+x", p.envelopeId());
        assertTrue(p.smtpUtf8());
        assertEquals(ReversePath.NULL, ((Command.Mail) CommandParser.parse("MAIL FROM:<>")).sender());
    }

    @Test
    void unknownMailParameterIs555() {
        assertEquals(555, MailParameters.parse(Map.of("FOO", "1")).error().code());
        assertEquals(555, RcptParameters.parse(Map.of("FOO", "1")).error().code());
        assertEquals(501, RcptParameters.parse(Map.of("NOTIFY", "NEVER,SUCCESS")).error().code());
        assertEquals(501, MailParameters.parse(Map.of("RET", "MAYBE")).error().code());
    }

    @Test
    void orcptIsDecoded() {
        RcptParameters p = RcptParameters.parse(Map.of("ORCPT", "rfc822;a+2Bb@c.example", "NOTIFY", "delay"));
        assertNull(p.error());
        assertEquals("rfc822;a+b@c.example", p.originalRecipient());
        assertEquals(1, p.notifyOn().size());
    }

    @Test
    void postmasterWithoutDomain() {
        assertTrue(((Command.Rcpt) CommandParser.parse("RCPT TO:<postmaster>")).isPostmaster());
    }
}
