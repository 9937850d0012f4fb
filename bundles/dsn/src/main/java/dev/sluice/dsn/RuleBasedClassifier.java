package dev.sluice.dsn;

import dev.sluice.api.delivery.BounceCategory;
import dev.sluice.api.delivery.BounceClassifier;
import dev.sluice.api.mail.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classifies failure replies with the operator's rules file first, then the built-in rules derived from the
 * IANA enhanced status code registry. A changed configuration reloads the file.
 */
@Component(service = BounceClassifier.class, configurationPid = "dev.sluice.dsn.classifier")
@Designate(ocd = RuleBasedClassifier.Config.class)
public final class RuleBasedClassifier implements BounceClassifier {

    static final String BUILT_IN = "default-bounce-rules.conf";

    @ObjectClassDefinition(name = "Sluice bounce classifier",
            description = "Classifies delivery failures into categories from the reply's enhanced status code "
                    + "and text.")
    public @interface Config {
        @AttributeDefinition(name = "Rules file",
                description = "Operator rules ('category = regex' per line), evaluated before the built-in rules. "
                        + "Relative paths resolve against sluice.home. A missing file means built-in rules only.")
        String rulesFile() default "conf/bounce-rules.conf";
    }

    private static final Logger LOG = LoggerFactory.getLogger(RuleBasedClassifier.class);

    private final Path home;
    private final List<BounceRule> builtIn;
    // Replaced whole on reload so classify() never sees a half-built list and needs no lock.
    private volatile RulesParser.Result active;

    @Activate
    public RuleBasedClassifier(Config config, BundleContext context) {
        this(config, SluiceHome.of(context));
    }

    RuleBasedClassifier(Config config, Path home) {
        this.home = home;
        RulesParser.Result defaults = loadBuiltIn();
        defaults.problems().forEach(p -> LOG.error("built-in bounce rule rejected: {}", p));
        this.builtIn = defaults.rules();
        this.active = load(config);
    }

    @Modified
    void modified(Config config) {
        active = load(config);
    }

    @Override
    public BounceCategory classify(Reply reply) {
        String subject = BounceRule.subject(reply);
        for (BounceRule rule : active.rules()) {
            if (rule.matches(subject)) {
                return rule.category();
            }
        }
        return BounceCategory.OTHER;
    }

    /** Problems of the last load of the operator file; empty when every line was accepted. */
    List<String> problems() {
        return active.problems();
    }

    private RulesParser.Result load(Config config) {
        List<BounceRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            readOperatorRules(home.resolve(config.rulesFile().strip()), rules, problems);
        } catch (InvalidPathException e) {
            problems.add("rulesFile: '" + config.rulesFile() + "' is not a valid path: " + e.getMessage());
        }
        problems.forEach(p -> LOG.error("bounce rules: {}", p));
        rules.addAll(builtIn);
        return new RulesParser.Result(rules, problems);
    }

    private static void readOperatorRules(Path file, List<BounceRule> rules, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            LOG.info("bounce rules file {} not found; using the built-in rules only", file);
            return;
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            RulesParser.Result operator = RulesParser.parse(file.toString(), reader);
            rules.addAll(operator.rules());
            problems.addAll(operator.problems());
            LOG.info("loaded {} bounce rules from {}", operator.rules().size(), file);
        } catch (IOException | RuntimeException e) {
            // Includes bytes that are not UTF-8: the file is skipped as a whole, the built-in rules still apply.
            problems.add(file + ": cannot read: " + e);
        }
    }

    private static RulesParser.Result loadBuiltIn() {
        try (InputStream in = RuleBasedClassifier.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("built-in rules resource " + BUILT_IN + " missing from the bundle");
            }
            return RulesParser.parse(BUILT_IN, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in rules " + BUILT_IN, e);
        }
    }
}
