package dev.sluice.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameworkIT extends SluiceTestSupport {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Test
    public void everyBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = (bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            if (!fragment && bundle.getState() != Bundle.ACTIVE) {
                notActive.add(bundle.getSymbolicName() + " state=" + bundle.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        assertTrue("the features were not provisioned", find("dev.sluice.api") != null);
    }

    @Test
    public void everyComponentIsSatisfied() throws InterruptedException {
        await(Duration.ofSeconds(20), () -> unsatisfied().isEmpty());
        assertTrue("components not satisfied: " + unsatisfied(), unsatisfied().isEmpty());
        long active = scr.getComponentDescriptionDTOs().stream()
                .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .filter(c -> c.state == ComponentConfigurationDTO.ACTIVE).count();
        assertTrue("no component is active at all", active > 0);
    }

    @Test
    public void apiPackagesAreExportedWithVersions() {
        Bundle api = find("dev.sluice.api");
        List<String> packages = new ArrayList<>();
        for (BundleCapability export : api.adapt(BundleRevision.class).getDeclaredCapabilities("osgi.wiring.package")) {
            packages.add((String) export.getAttributes().get("osgi.wiring.package"));
            Version version = (Version) export.getAttributes().get("version");
            assertEquals("API 1.x: " + export.getAttributes(), 1, version.getMajor());
        }
        assertTrue(packages.toString(), packages.containsAll(List.of("dev.sluice.api.mail", "dev.sluice.api.queue",
                "dev.sluice.api.routing", "dev.sluice.api.ratelimit", "dev.sluice.api.delivery",
                "dev.sluice.api.filter", "dev.sluice.api.event")));
    }

    @Test
    public void configurationFileDroppedIntoDeployReachesConfigAdmin() throws Exception {
        Path deploy = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path tmp = deploy.resolve("probe.tmp");
        Files.writeString(tmp, "greeting = hello from deploy\n");
        Files.move(tmp, deploy.resolve("dev.sluice.itest.probe.cfg"));
        assertTrue("configuration never arrived", await(Duration.ofSeconds(15), () -> probeValue() != null));
        assertEquals("hello from deploy", probeValue());
    }

    private Object probeValue() {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=dev.sluice.itest.probe)");
            if (found == null) {
                return null;
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            return properties == null ? null : properties.get("greeting");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> unsatisfied() {
        List<String> result = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!scr.isComponentEnabled(description)) {
                result.add(description.name + " (disabled)");
            }
            for (ComponentConfigurationDTO config : scr.getComponentConfigurationDTOs(description)) {
                if (config.state != ComponentConfigurationDTO.ACTIVE && config.state != ComponentConfigurationDTO.SATISFIED) {
                    result.add(description.name + " state=" + config.state + " failure=" + config.failure
                            + " unsatisfied=" + java.util.Arrays.stream(config.unsatisfiedReferences)
                            .map(r -> r.name + ":" + r.target).toList());
                }
            }
        }
        return result;
    }

    private Bundle find(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }
}
