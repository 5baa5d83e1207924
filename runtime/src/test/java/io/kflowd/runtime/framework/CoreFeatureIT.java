package io.kflowd.runtime.framework;

import static io.kflowd.runtime.framework.FrameworkSupport.await;
import static io.kflowd.runtime.framework.FrameworkSupport.awaitValue;
import static io.kflowd.runtime.framework.FrameworkSupport.describe;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kflowd.api.MonitorService;
import io.kflowd.api.MonitorStatus;
import io.kflowd.runtime.framework.FrameworkSupport.FeatureBundle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * The core feature in a real Felix: every bundle it lists resolves and starts at its start
 * order, and the core's Declarative Services components come up.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreFeatureIT {

    static final String CORE_MONITOR = "io.kflowd.core.CoreMonitor";
    static final String KFLOWD_COMMANDS = "io.kflowd.shell.KflowdCommands";
    static final String CONSOLE_SERVER = "io.kflowd.shell.ConsoleServer";

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] configuration() {
        return FrameworkSupport.coreFeatureOptions();
    }

    @Test
    public void everyBundleOfTheCoreFeatureIsActiveAtItsStartOrder() {
        Path dist = FrameworkSupport.dist(context);
        List<FeatureBundle> feature = FrameworkSupport.coreFeature(dist);
        for (FeatureBundle entry : feature) {
            String location = FrameworkSupport.location(FrameworkSupport.systemFile(dist, entry));
            Bundle bundle = context.getBundle(location);
            assertNotNull("feature bundle " + entry.id() + " is not installed from " + location, bundle);
            await(entry.id() + " to be ACTIVE", () -> bundle.getState() == Bundle.ACTIVE, () -> describe(bundle));
            Version actual = bundle.getVersion();
            assertEquals("version of " + entry.id() + " (major.minor.micro)",
                    numericPart(entry.version()), new Version(actual.getMajor(), actual.getMinor(), actual.getMicro()));
            assertEquals("start level of " + entry.id(), entry.startOrder(),
                    bundle.adapt(BundleStartLevel.class).getStartLevel());
        }
    }

    @Test
    public void exactlyTheFeaturesBundlesAreInstalledFromSystem() {
        Path dist = FrameworkSupport.dist(context);
        List<String> expected = new ArrayList<>();
        for (FeatureBundle entry : FrameworkSupport.coreFeature(dist)) {
            expected.add(FrameworkSupport.location(FrameworkSupport.systemFile(dist, entry)));
        }
        List<String> fromSystem = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            if (FrameworkSupport.locationPath(bundle.getLocation())
                    .filter(p -> p.getParent().equals(dist.resolve("system").toAbsolutePath().normalize()))
                    .isPresent()) {
                fromSystem.add(bundle.getLocation());
            }
        }
        assertEquals("bundles installed from system/", Set.copyOf(expected), Set.copyOf(fromSystem));
        assertEquals("each feature bundle installed once", expected.size(), fromSystem.size());
    }

    @Test
    public void coreMonitorAndKflowdCommandsAreSatisfiedAndMonitorServiceIsRegistered() {
        Bundle core = FrameworkSupport.bundleNamed(context, "kflowd-core").orElseThrow(() -> new AssertionError("kflowd-core is not installed"));
        Bundle shell = FrameworkSupport.bundleNamed(context, "kflowd-shell").orElseThrow(() -> new AssertionError("kflowd-shell is not installed"));

        awaitComponentState(core, CORE_MONITOR, ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE);
        awaitComponentState(shell, KFLOWD_COMMANDS, ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE);

        ServiceReference<MonitorService> reference = awaitValue("a MonitorService to be registered",
                () -> context.getServiceReference(MonitorService.class), () -> "none");
        assertEquals("MonitorService is provided by", core, reference.getBundle());
        assertEquals("component.name of the MonitorService", CORE_MONITOR, reference.getProperty("component.name"));

        MonitorService monitor = context.getService(reference);
        try {
            assertNotNull("MonitorService object", monitor);
            // Getting the (delayed) service activates the component.
            awaitComponentState(core, CORE_MONITOR, ComponentConfigurationDTO.ACTIVE);
            MonitorStatus status = monitor.status();
            assertEquals("version in the status", core.getVersion().toString(), status.version());
            assertEquals("monitors without configuration (the defaults)", List.of("file", "socket"), status.monitors());
            // the real kernel programs of both monitors are attached (the tests run as root)
            assertTrue("file monitor programs attached: " + status.kernelPrograms() + " notes: " + status.notes(),
                    status.kernelPrograms().contains("fs_openat_x"));
            assertTrue("socket monitor programs attached: " + status.kernelPrograms() + " notes: " + status.notes(),
                    status.kernelPrograms().containsAll(List.of("sock_egress", "sock_ingress", "sock_state", "sock_destroy")));
            assertTrue("only monitor programs: " + status.kernelPrograms(),
                    status.kernelPrograms().stream().allMatch(p -> p.startsWith("fs_") || p.startsWith("sock_")));
        } finally {
            context.ungetService(reference);
        }

        ServiceReference<?>[] commands = null;
        try {
            commands = context.getServiceReferences(KFLOWD_COMMANDS, "(osgi.command.scope=kflowd)");
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            fail(e.toString());
        }
        assertNotNull("KflowdCommands is registered with osgi.command.scope=kflowd", commands);
        assertEquals("one KflowdCommands service", 1, commands.length);
        Object functions = commands[0].getProperty("osgi.command.function");
        assertTrue("osgi.command.function is a String[]: " + functions, functions instanceof String[]);
        assertEquals("the kflowd:* functions", List.of("status", "plugins", "config", "features", "decoders", "ports", "output"),
                Arrays.asList((String[]) functions));
    }

    @Test
    public void consoleServerWaitsForItsConfiguration() {
        // Nobody configured io.kflowd.console here: the component must not bind a socket.
        Bundle shell = FrameworkSupport.bundleNamed(context, "kflowd-shell").orElseThrow(() -> new AssertionError("kflowd-shell is not installed"));
        ComponentDescriptionDTO description = awaitDescription(shell, CONSOLE_SERVER);
        assertTrue("ConsoleServer is enabled", scr.isComponentEnabled(description));
        assertTrue("ConsoleServer has no configuration instance without io.kflowd.console",
                scr.getComponentConfigurationDTOs(description).isEmpty()
                        || scr.getComponentConfigurationDTOs(description).stream()
                                .allMatch(c -> c.state == ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION));
    }

    /** The leading major[.minor[.micro]] of a Maven version: 4.13.2_1 gives 4.13.2. */
    private static Version numericPart(String mavenVersion) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?").matcher(mavenVersion);
        if (!m.find()) {
            throw new AssertionError("feature version is not numeric: " + mavenVersion);
        }
        return new Version(Integer.parseInt(m.group(1)), m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    private ComponentDescriptionDTO awaitDescription(Bundle bundle, String name) {
        return awaitValue("component " + name + " to be known to SCR",
                () -> scr.getComponentDescriptionDTO(bundle, name),
                () -> "bundle " + describe(bundle));
    }

    private void awaitComponentState(Bundle bundle, String name, int... states) {
        ComponentDescriptionDTO description = awaitDescription(bundle, name);
        await("component " + name + " in state " + Arrays.toString(stateNames(states)),
                () -> scr.getComponentConfigurationDTOs(description).stream()
                        .anyMatch(c -> Arrays.stream(states).anyMatch(s -> s == c.state)),
                () -> componentStates(description));
    }

    private String componentStates(ComponentDescriptionDTO description) {
        ComponentDescriptionDTO current = scr.getComponentDescriptionDTO(
                context.getBundle(description.bundle.id), description.name);
        if (current == null) {
            return "no longer known to SCR";
        }
        List<String> states = new ArrayList<>();
        for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(current)) {
            states.add(stateName(c.state) + (c.failure != null ? " (" + c.failure + ")" : "")
                    + (c.unsatisfiedReferences.length > 0 ? " unsatisfied: "
                            + Arrays.stream(c.unsatisfiedReferences).map(r -> r.name + " " + r.target).toList() : ""));
        }
        return "enabled=" + scr.isComponentEnabled(current) + " configurations=" + states;
    }

    private static String[] stateNames(int... states) {
        return Arrays.stream(states).mapToObj(CoreFeatureIT::stateName).toArray(String[]::new);
    }

    static String stateName(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
