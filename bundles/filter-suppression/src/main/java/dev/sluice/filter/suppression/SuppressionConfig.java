package dev.sluice.filter.suppression;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration PID {@value SuppressionStore#PID}; read by the store, the filter and the bounce feeder. */
@ObjectClassDefinition(name = "Sluice suppression list",
        description = "Addresses and domains that must never be mailed.")
public @interface SuppressionConfig {

    @AttributeDefinition(name = "Action", description = "reject: 550 5.7.1 at RCPT TO; discard: accept the "
            + "recipient and drop it with a log line. Mail queued earlier is dropped before delivery either way.",
            options = {@Option(label = "reject", value = "reject"), @Option(label = "discard", value = "discard")})
    String action() default "reject";

    @AttributeDefinition(name = "List file", description = "The administrator's list: one address or domain per "
            + "line (or CSV, first column), # comments. Reloaded when it changes. Relative to sluice.home.")
    String listFile() default "conf/suppression.txt";

    @AttributeDefinition(name = "Data directory", description = "Where entries added by bounces, the shell or "
            + "imports are kept (journal.log). Relative to sluice.home.")
    String dataDirectory() default "data/suppression";

    @AttributeDefinition(name = "Reload check (seconds)", description = "How often the list file is checked. "
            + "Range: 1 to 3600.",
            min = "1", max = "3600")
    int reloadSeconds() default 5;

    @AttributeDefinition(name = "Add hard bounces", description = "Suppress a recipient whose delivery bounced "
            + "with one of the bounce categories below.")
    boolean addBounces() default true;

    @AttributeDefinition(name = "Bounce categories", description = "Bounce classifications (delivery log "
            + "'classification') that add the recipient, e.g. bad-mailbox, inactive-mailbox.")
    String[] bounceCategories() default {"bad-mailbox"};
}
