package dev.sluice.console.security;

import dev.sluice.api.config.ConfigCheck;
import dev.sluice.api.audit.AuditLine;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.apache.felix.webconsole.spi.SecurityProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only authentication of the Felix web console (the distribution sets
 * {@code felix.webconsole.security.providers=sluice}, so the console is not even registered without this
 * component, and its built-in admin/admin never applies). HTTP Basic against a salted PBKDF2 hash.
 */
@Component(configurationPid = ConsoleSecurityProvider.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = SecurityProvider.PROPERTY_ID + "=" + ConsoleSecurityProvider.PROVIDER_ID)
@Designate(ocd = ConsoleSecurityProvider.Config.class)
public class ConsoleSecurityProvider implements SecurityProvider {

    static final String PID = "dev.sluice.console.security";
    static final String PROVIDER_ID = "sluice";
    private static final Logger AUDIT = LoggerFactory.getLogger(AuditLine.LOGGER);

    @ObjectClassDefinition(name = "Sluice console security",
            description = "Credentials of the web console and the other admin HTTP endpoints.")
    public @interface Config {
        @AttributeDefinition(name = "User name", description = "The administrator's user name.")
        String username() default "admin";

        @AttributeDefinition(name = "Password hash", description = "pbkdf2-sha256$iterations$salt$hash, made with"
                + " the PasswordHash tool (see README). Empty: use the password generated on first start.")
        String passwordHash() default "";

        @AttributeDefinition(name = "Password (clear text)", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD,
                description = "Discouraged: a clear-text password, hashed in memory. Ignored when a hash is set.")
        String password() default "";

        @AttributeDefinition(name = "Hash file", description = "Where the hash of the generated password is kept"
                + " (relative to the installation).")
        String hashFile() default "data/admin-password.hash";

        @AttributeDefinition(name = "Generated password file", description = "Where the generated password is"
                + " written once, readable by the owner only (relative to the installation).")
        String passwordFile() default "conf/admin-password.txt";

        @AttributeDefinition(name = "Realm", description = "The HTTP Basic realm shown by browsers.")
        String realm() default "Sluice";

        @AttributeDefinition(name = "Verified password kept (seconds)", min = "0", max = "3600",
                description = "After a password passed the slow hash check, requests with it are accepted without"
                + " the check for this long (kept in memory as a keyed HMAC); 0 checks every request."
                + " Range: 0 to 3600.")
        int verifiedPasswordSeconds() default 300;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityProvider.class);
    private final String username;
    private final String hash;
    private final String realm;
    private final VerifiedPassword verified;

    @Activate
    public ConsoleSecurityProvider(BundleContext context, Config config) throws IOException {
        if (config.username().isBlank()) {
            throw new IllegalArgumentException("username: must not be empty");
        }
        Path home = Path.of(String.valueOf(firstNonNull(context.getProperty("sluice.home"), ".")));
        this.username = config.username().strip();
        this.realm = config.realm();
        ConfigCheck.between("verifiedPasswordSeconds", config.verifiedPasswordSeconds(), 0, 3600);
        this.verified = new VerifiedPassword(Duration.ofSeconds(config.verifiedPasswordSeconds()), Clock.systemUTC(),
                new SecureRandom());
        this.hash = CredentialStore.resolveHash(config.passwordHash(), config.password(),
                home.resolve(config.hashFile()), home.resolve(config.passwordFile()), username, new SecureRandom());
        LOG.info("Web console protected: user '{}'", username);
    }

    @Override
    public Object authenticate(HttpServletRequest request, HttpServletResponse response) {
        String[] credentials = basicCredentials(request.getHeader("Authorization"));
        if (credentials != null && username.equals(credentials[0])
                && verified.matches(credentials[1], password -> PasswordHash.matches(password, hash))) {
            return username;
        }
        if (credentials != null) {
            AUDIT.warn(AuditLine.format(Instant.now(), "http", credentials[0], "login", request.getRequestURI(),
                    "failed: wrong user name or password (client " + request.getRemoteAddr() + ")"));
        }
        response.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        try {
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
        } catch (IOException e) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        }
        return null;
    }

    @Override
    public boolean authorize(Object user, String role) {
        return username.equals(user);
    }

    @Override
    public void logout(HttpServletRequest request, HttpServletResponse response) {
        // Basic authentication has no server-side session to end.
    }

    static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Object firstNonNull(Object a, Object b) {
        return a != null ? a : b;
    }
}
