package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The rate-limit configuration as the web console's configuration page sees it (MetaType) and as ConfigAdmin applies
 * it: every key is named, described and bounded, and a bad value fails the component with a message naming the key.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RateLimitConfigIT extends SluiceTestSupport {

    static final List<String> PIDS = List.of("dev.sluice.ratelimit", "dev.sluice.ratelimit.rule",
            "dev.sluice.ratelimit.source", "dev.sluice.ratelimit.backoff", "dev.sluice.ratelimit.inbound",
            "dev.sluice.ratelimit.tenant");

    @Inject
    private BundleContext context;

    @Inject
    private MetaTypeService metaType;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private ServiceComponentRuntime scr;

    private ObjectClassDefinition ocd(String pid) {
        Bundle ratelimit = Arrays.stream(context.getBundles())
                .filter(b -> "dev.sluice.ratelimit".equals(b.getSymbolicName())).findFirst().orElseThrow();
        MetaTypeInformation info = metaType.getMetaTypeInformation(ratelimit);
        ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
        assertNotNull("no MetaType for " + pid, ocd);
        return ocd;
    }

    private AttributeDefinition ad(String pid, String key) {
        return Arrays.stream(ocd(pid).getAttributeDefinitions(ObjectClassDefinition.ALL))
                .filter(a -> a.getID().equals(key)).findFirst().orElseThrow(() -> new AssertionError(pid + " " + key));
    }

    @Test
    public void everyKeyHasANameADescriptionAndEveryNumberARange() {
        List<String> problems = new ArrayList<>();
        int keys = 0;
        for (String pid : PIDS) {
            for (AttributeDefinition ad : ocd(pid).getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                keys++;
                String key = pid + " " + ad.getID();
                if (ad.getName() == null || ad.getName().isBlank() || ad.getName().equals(ad.getID())) {
                    problems.add(key + ": no name");
                }
                if (ad.getDescription() == null || ad.getDescription().isBlank()) {
                    problems.add(key + ": no description");
                }
                // every number in these PIDs counts something or is a duration: 0 and less are refused
                if (ad.getType() == AttributeDefinition.INTEGER && isValid(ad, "0")) {
                    problems.add(key + ": no minimum");
                }
            }
        }
        assertTrue(problems.toString(), problems.isEmpty());
        assertTrue("keys found: " + keys, keys >= 60);
        assertFalse(isValid(ad("dev.sluice.ratelimit.backoff", "recoveryRatePercent"), "101"));
        assertFalse(isValid(ad("dev.sluice.ratelimit.backoff", "durationMinutes"), "10081"));
        assertTrue(isValid(ad("dev.sluice.ratelimit.backoff", "durationMinutes"), "10080"));
        assertFalse(isValid(ad("dev.sluice.ratelimit", "expectedNodes"), "1001"));
        assertEquals(List.of("throttle", "suspend"),
                Arrays.asList(ad("dev.sluice.ratelimit.backoff", "action").getOptionValues()));
    }

    private static boolean isValid(AttributeDefinition ad, String value) {
        String verdict = ad.validate(value);
        return verdict == null || verdict.isEmpty();
    }

    @Test
    public void aBadValueFailsTheComponentWithAMessageNamingTheKey() throws Exception {
        List<Configuration> made = new ArrayList<>();
        try {
            made.add(factory("dev.sluice.ratelimit.rule", "name", "bad-rate", "sites", "*", "messageRate", "fast"));
            made.add(factory("dev.sluice.ratelimit.backoff", "name", "no-pattern", "action", "suspend"));
            made.add(factory("dev.sluice.ratelimit.source", "name", "ip1", "ehloName", "mta1 example"));
            made.add(factory("dev.sluice.ratelimit.tenant", "name", "no-tenants", "sites", "*"));
            assertFailure("dev.sluice.ratelimit.RuleComponent",
                    "messageRate: rate 'fast' is not COUNT/UNIT (e.g. 100/s, 6000/h)");
            assertFailure("dev.sluice.ratelimit.BackoffComponent", "pattern: backoff rule 'no-pattern' needs a pattern");
            assertFailure("dev.sluice.ratelimit.SourceComponent",
                    "ehloName: 'mta1 example' is neither a host name nor an address literal such as [192.0.2.1]");
            assertFailure("dev.sluice.ratelimit.TenantComponent",
                    "tenants: tenant rule 'no-tenants' names no tenant (e.g. acme, *.example.com or *)");
        } finally {
            for (Configuration c : made) {
                c.delete();
            }
        }
    }

    private Configuration factory(String factoryPid, String... keyValues) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration(factoryPid, "itest-" + keyValues[1], "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put(keyValues[i], keyValues[i + 1]);
        }
        c.update(properties);
        return c;
    }

    private void assertFailure(String component, String message) throws InterruptedException {
        String[] seen = {"nothing"};
        boolean failed = await(Duration.ofSeconds(20), () -> {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
                if (d.name.equals(component)) {
                    for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                        seen[0] = "state " + c.state + ": " + c.failure;
                        if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null
                                && c.failure.contains(message)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        });
        assertTrue(component + " did not fail with \"" + message + "\"; last seen " + seen[0], failed);
    }
}
