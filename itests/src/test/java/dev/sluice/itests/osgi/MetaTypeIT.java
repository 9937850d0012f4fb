package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Every Sluice configuration as the web console's Configuration page gets it from the MetaType service: each key
 * has a name and a description; each number has a range that its description states (the page shows descriptions,
 * not the MetaType's min and max) and that the MetaType enforces at both ends; each enumeration has its options.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetaTypeIT extends SluiceTestSupport {

    /** "Range: 1 to 65535." in a description; the numbers as an operator writes them. */
    private static final Pattern RANGE = Pattern.compile("Range: (-?[0-9.]+) to (-?[0-9.]+?)\\.?(?:\\s|$|\\()");
    private static final List<Integer> NUMBERS = List.of(AttributeDefinition.INTEGER, AttributeDefinition.LONG,
            AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT, AttributeDefinition.SHORT, AttributeDefinition.BYTE);
    /** Keys whose value is one of a few words: the page must offer them as a choice. */
    private static final Map<String, List<String>> ENUMERATIONS = Map.of(
            "dev.sluice.smtp.listener tlsMode", List.of("none", "starttls", "implicit"),
            "dev.sluice.smtp.listener tlsKeystoreType", List.of("PKCS12", "JKS"),
            "dev.sluice.routing.dns addressFamilies", List.of("ipv4-first", "ipv6-first", "ipv4-only", "ipv6-only"),
            "dev.sluice.routing.static tls", List.of("none", "opportunistic", "required", "verify"),
            "dev.sluice.dsn unspecifiedReturn", List.of("HEADERS", "FULL"),
            "dev.sluice.ratelimit.backoff action", List.of("throttle", "suspend"),
            "dev.sluice.filter.dkim failureMode", List.of("tempfail", "unsigned"),
            "dev.sluice.filter.suppression action", List.of("reject", "discard"));

    @Inject
    private BundleContext context;

    @Inject
    private MetaTypeService metaType;

    /** "pid key" → definition, for every Sluice bundle's PIDs and factory PIDs. */
    private Map<String, AttributeDefinition> keys() {
        Map<String, AttributeDefinition> keys = new TreeMap<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() == null || !b.getSymbolicName().startsWith("dev.sluice.")) {
                continue;
            }
            MetaTypeInformation info = metaType.getMetaTypeInformation(b);
            List<String> pids = new ArrayList<>(Arrays.asList(info.getPids()));
            pids.addAll(Arrays.asList(info.getFactoryPids()));
            for (String pid : pids) {
                ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
                assertTrue(pid + " has no name or description", !ocd.getName().isBlank() && !ocd.getName().equals(pid)
                        && ocd.getDescription() != null && !ocd.getDescription().isBlank());
                for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                    keys.put(pid + " " + ad.getID(), ad);
                }
            }
        }
        return keys;
    }

    @Test
    public void everyKeyHasANameADescriptionAndEveryNumberAStatedAndEnforcedRange() {
        Map<String, AttributeDefinition> keys = keys();
        List<String> problems = new ArrayList<>();
        int numbers = 0;
        for (Map.Entry<String, AttributeDefinition> e : keys.entrySet()) {
            AttributeDefinition ad = e.getValue();
            String key = e.getKey();
            if (ad.getName() == null || ad.getName().isBlank() || ad.getName().equals(ad.getID())) {
                problems.add(key + ": no name");
            }
            String description = ad.getDescription() == null ? "" : ad.getDescription();
            if (description.isBlank()) {
                problems.add(key + ": no description");
            }
            if (NUMBERS.contains(ad.getType())) {
                numbers++;
                Matcher m = RANGE.matcher(description);
                if (!m.find()) {
                    problems.add(key + ": the description states no range (\"Range: MIN to MAX.\")");
                    continue;
                }
                boolean whole = ad.getType() != AttributeDefinition.DOUBLE && ad.getType() != AttributeDefinition.FLOAT;
                double min = Double.parseDouble(m.group(1));
                double max = Double.parseDouble(m.group(2));
                double below = whole ? min - 1 : min / 2;
                for (double inside : new double[] {min, max}) {
                    if (!valid(ad, number(inside, whole))) {
                        problems.add(key + ": the MetaType refuses " + number(inside, whole) + ", which the "
                                + "description allows");
                    }
                }
                for (double outside : new double[] {below, max + 1}) {
                    if (valid(ad, number(outside, whole))) {
                        problems.add(key + ": the MetaType accepts " + number(outside, whole) + ", outside the stated "
                                + "range " + m.group(1) + " to " + m.group(2));
                    }
                }
            }
        }
        ENUMERATIONS.forEach((key, options) -> {
            AttributeDefinition ad = keys.get(key);
            if (ad == null || ad.getOptionValues() == null || !Arrays.asList(ad.getOptionValues()).equals(options)) {
                problems.add(key + ": options " + (ad == null ? "(no such key)" : Arrays.toString(ad.getOptionValues()))
                        + ", expected " + options);
            }
        });
        assertEquals(String.join("\n", problems), List.of(), problems);
        assertTrue("keys found: " + keys.size(), keys.size() >= 150);
        assertTrue("numbers found: " + numbers, numbers >= 80);
    }

    private static String number(double d, boolean whole) {
        return whole ? Long.toString((long) d) : Double.toString(d);
    }

    private static boolean valid(AttributeDefinition ad, String value) {
        String verdict = ad.validate(value);
        return verdict == null || verdict.isEmpty();
    }
}
