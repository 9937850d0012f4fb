package dev.sluice.filter.dkim;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One signing key: a factory configuration {@code dev.sluice.filter.dkim-<name>.cfg} per domain and selector. */
@ObjectClassDefinition(name = "Sluice DKIM signer",
        description = "Signs outgoing mail whose From domain matches with one DKIM key (RFC 6376, RFC 8463), "
                + "just before delivery. One configuration per signing domain and selector; two configurations "
                + "for the same domain (RSA and Ed25519) sign twice.")
public @interface DkimConfig {

    @AttributeDefinition(name = "Signing domain", description = "The d= domain, e.g. example.com (required)")
    String domain() default "";

    @AttributeDefinition(name = "Selector", description = "The s= selector: the key is published at "
            + "<selector>._domainkey.<domain> (required)")
    String selector() default "";

    @AttributeDefinition(name = "Algorithm", description = "The a= algorithm; it must match the key: an RSA key "
            + "(at least 1024 bits, 2048 recommended) for rsa-sha256, an Ed25519 key for ed25519-sha256", options = {
            @Option(label = "rsa-sha256 (RFC 6376)", value = "rsa-sha256"),
            @Option(label = "ed25519-sha256 (RFC 8463)", value = "ed25519-sha256")})
    String algorithm() default "rsa-sha256";

    @AttributeDefinition(name = "Key file", description = "Unencrypted private key, PEM: PKCS#8 (BEGIN PRIVATE KEY) "
            + "or, for RSA, PKCS#1 (BEGIN RSA PRIVATE KEY). Relative paths resolve against sluice.home.")
    String keyFile() default "";

    /** Key ".privateKey": the leading dot keeps the key out of the service properties. */
    @AttributeDefinition(name = "Private key", type = AttributeType.PASSWORD, description = "Instead of a key file: "
            + "the PEM text or the base64 of the PKCS#8 DER; configuration key .privateKey")
    String _privateKey() default "";

    @AttributeDefinition(name = "Canonicalization", description = "c= header/body", options = {
            @Option(label = "relaxed/relaxed", value = "relaxed/relaxed"),
            @Option(label = "relaxed/simple", value = "relaxed/simple"),
            @Option(label = "simple/relaxed", value = "simple/relaxed"),
            @Option(label = "simple/simple", value = "simple/simple")})
    String canonicalization() default "relaxed/relaxed";

    @AttributeDefinition(name = "Signed header fields", description = "Signed when present, every instance. "
            + "Must include From. Never list trace fields (Received, Return-Path): they change in transit.")
    String[] headers() default {"From", "Reply-To", "Subject", "Date", "To", "Cc", "Message-ID", "In-Reply-To",
        "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-ID",
        "Content-Description", "Content-Disposition", "Content-Language", "Sender", "Resent-Date", "Resent-From",
        "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Message-ID", "List-Id", "List-Help",
        "List-Unsubscribe", "List-Unsubscribe-Post", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
        "Feedback-ID"};

    @AttributeDefinition(name = "Oversigned header fields", description = "Listed once more in h= than present, "
            + "so that adding another instance (a second From) breaks the signature")
    String[] oversignHeaders() default {"From"};

    @AttributeDefinition(name = "Sender domains", description = "From header domains this key signs for; "
            + "empty: the signing domain only")
    String[] senderDomains() default {};

    @AttributeDefinition(name = "Include subdomains", description = "Also sign when the From domain is a "
            + "subdomain of a sender domain (news.example.com for example.com)")
    boolean includeSubdomains() default false;

    @AttributeDefinition(name = "Signature lifetime (seconds)", min = "0", max = "31536000",
            description = "Sets x= to t= plus this; 0: no x= tag. Range: 0 to 31536000 (a year).")
    long expireSeconds() default 0;

    @AttributeDefinition(name = "Failure mode", description = "When the key is unusable or signing fails: "
            + "tempfail defers the mail (451 4.7.5) until the key is fixed; unsigned sends it without this "
            + "signature", options = {
                @Option(label = "tempfail", value = "tempfail"),
                @Option(label = "unsigned", value = "unsigned")})
    String failureMode() default "tempfail";
}
