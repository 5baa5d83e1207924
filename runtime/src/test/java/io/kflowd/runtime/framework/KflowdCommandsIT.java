package io.kflowd.runtime.framework;

import static io.kflowd.runtime.framework.FrameworkSupport.await;
import static io.kflowd.runtime.framework.FrameworkSupport.awaitBundleState;
import static io.kflowd.runtime.framework.FrameworkSupport.bundlesFrom;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.kflowd.api.ConfigurationPids;
import io.kflowd.runtime.TestBundles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The kflowd:* console commands, and two standard ones, run through the Gogo
 * CommandProcessor the way the console socket runs them; and the console socket itself
 * once io.kflowd.console names a path for it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KflowdCommandsIT {

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor processor;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    @Configuration
    public Option[] configuration() {
        return FrameworkSupport.coreFeatureOptions();
    }

    @After
    public void cleanUp() throws Exception {
        for (String pid : List.of(ConfigurationPids.CORE, ConfigurationPids.FEATURES, ConfigurationPids.CONSOLE)) {
            org.osgi.service.cm.Configuration[] existing = configurationAdmin.listConfigurations("(service.pid=" + pid + ")");
            if (existing != null) {
                for (org.osgi.service.cm.Configuration configuration : existing) {
                    configuration.delete();
                }
            }
        }
        Path folder = FrameworkSupport.pluginFolder(context);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        await("every bundle from the plugin folder to be uninstalled", () -> bundlesFrom(context, folder).isEmpty());
        // The core is back on its defaults once its configuration is gone.
        awaitOutput("kflowd:status", out -> "file,socket".equals(field(out, "monitors").orElse(null)),
                "kflowd:status to show the default monitors again");
    }

    @Test
    public void statusNamesTheCoreVersionAndTheMonitors() {
        Bundle core = FrameworkSupport.bundleNamed(context, "kflowd-core").orElseThrow(() -> new AssertionError("kflowd-core is not installed"));
        String out = awaitOutput("kflowd:status", o -> o.contains("monitors:"), "kflowd:status to report the core");
        assertEquals("version line of kflowd:status in:\n" + out, Optional.of("kflowd v" + core.getVersion()), field(out, "version"));
        assertEquals("monitors line of kflowd:status (defaults) in:\n" + out, Optional.of("file,socket"), field(out, "monitors"));
    }

    @Test
    public void pluginsListsABundleDroppedIntoThePluginFolder() throws IOException {
        Path folder = FrameworkSupport.pluginFolder(context);
        String empty = awaitOutput("kflowd:plugins", o -> o.contains("plugin folder:"), "kflowd:plugins to answer");
        assertTrue("kflowd:plugins names the folder " + folder + " in:\n" + empty,
                empty.contains("plugin folder: " + folder.toAbsolutePath().normalize()));
        assertTrue("kflowd:plugins with an empty folder says so:\n" + empty, empty.contains("(no bundles from the plugin folder)"));

        Path jar = TestBundles.drop(folder, "cmd-plugin.jar", TestBundles.bundle("io.kflowd.test.cmdplugin", "1.2.3"));
        Bundle plugin = awaitBundleState(context, jar, Bundle.ACTIVE);

        String out = run("kflowd:plugins");
        String line = out.lines().filter(l -> l.contains("io.kflowd.test.cmdplugin")).findFirst()
                .orElseThrow(() -> new AssertionError("kflowd:plugins does not list io.kflowd.test.cmdplugin:\n" + out));
        List<String> columns = List.of(line.trim().split("\\s+"));
        assertEquals("columns ID NAME VERSION STATE FILE of: " + line,
                List.of(Long.toString(plugin.getBundleId()), "io.kflowd.test.cmdplugin", "1.2.3", "ACTIVE", "cmd-plugin.jar"), columns);
        assertFalse("the empty-folder note is gone:\n" + out, out.contains("(no bundles from the plugin folder)"));
    }

    @Test
    public void configShowsWhatWasSetThroughConfigAdminAndTheCoreUsesIt() throws IOException {
        org.osgi.service.cm.Configuration core = configurationAdmin.getConfiguration(ConfigurationPids.CORE, "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("idle.timeout", 42);
        properties.put("monitors", new String[] {"file"});
        core.update(properties);

        String config = awaitOutput("kflowd:config", o -> o.contains("idle.timeout = 42"), "kflowd:config to show idle.timeout = 42");
        List<String> lines = config.lines().toList();
        int pid = lines.indexOf(ConfigurationPids.CORE);
        assertTrue("kflowd:config has a section " + ConfigurationPids.CORE + ":\n" + config, pid >= 0);
        List<String> section = lines.subList(pid + 1, lines.size()).stream().takeWhile(l -> l.startsWith("  ")).toList();
        assertTrue("idle.timeout in the io.kflowd.core section:\n" + config, section.contains("  idle.timeout = 42"));
        assertTrue("monitors in the io.kflowd.core section:\n" + config, section.contains("  monitors = [file]"));
        assertFalse("service.pid is not shown:\n" + config, config.contains("service.pid"));

        // ... and the core itself runs with it.
        String status = awaitOutput("kflowd:status", o -> "file".equals(field(o, "monitors").orElse(null)),
                "kflowd:status to show the configured monitors (file)");
        assertEquals("monitors line after the configuration in:\n" + status, Optional.of("file"), field(status, "monitors"));
    }

    @Test
    public void featuresListsThePublishedFeatureWithTheStateOfEachBundle() throws IOException {
        String none = awaitOutput("kflowd:features", o -> !o.isBlank(), "kflowd:features to answer");
        assertTrue("kflowd:features before anything is published:\n" + none, none.contains("no feature information"));

        Bundle core = FrameworkSupport.bundleNamed(context, "kflowd-core").orElseThrow(() -> new AssertionError("kflowd-core is not installed"));
        String missingLocation = FrameworkSupport.location(FrameworkSupport.dist(context).resolve("system").resolve("kflowd-missing-0.1.0.jar"));
        assertEquals("nothing is installed from " + missingLocation, null, context.getBundle(missingLocation));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("feature.kflowd-test", new String[] {
            "io.kflowd:kflowd-core:" + core.getVersion() + "=" + core.getLocation(),
            "io.kflowd:kflowd-missing:0.1.0=" + missingLocation});
        configurationAdmin.getConfiguration(ConfigurationPids.FEATURES, "?").update(properties);

        String out = awaitOutput("kflowd:features", o -> o.contains("kflowd-test"), "kflowd:features to list kflowd-test");
        List<String> lines = out.lines().toList();
        assertTrue("feature name on a line of its own:\n" + out, lines.contains("kflowd-test"));
        assertEquals("state of the installed kflowd-core in:\n" + out, "ACTIVE",
                stateOf(lines, "io.kflowd:kflowd-core:" + core.getVersion(), out));
        assertEquals("state of the missing bundle in:\n" + out, "NOT INSTALLED",
                stateOf(lines, "io.kflowd:kflowd-missing:0.1.0", out));

        String config = run("kflowd:config");
        assertFalse("kflowd:config leaves the feature information out:\n" + config, config.contains(ConfigurationPids.FEATURES));
    }

    @Test
    public void lbListsKflowdCore() {
        Bundle core = FrameworkSupport.bundleNamed(context, "kflowd-core").orElseThrow(() -> new AssertionError("kflowd-core is not installed"));
        String name = core.getHeaders().get(Constants.BUNDLE_NAME);
        assertNotNull("kflowd-core has a Bundle-Name", name);
        // lb shows each bundle's Bundle-Name; lb -s its symbolic name.
        String lb = awaitOutput("lb", o -> o.contains(name), "lb to list kflowd-core by its Bundle-Name " + name);
        assertTrue("lb shows kflowd-core ACTIVE:\n" + lb, lb.lines().anyMatch(l -> l.contains(name) && l.contains("Active")));
        String symbolic = run("lb -s");
        assertTrue("lb -s lists kflowd-core:\n" + symbolic, symbolic.lines().anyMatch(l -> l.contains("kflowd-core")));
    }

    @Test
    public void scrListNamesCoreMonitor() {
        String out = awaitOutput("scr:list", o -> o.contains("io.kflowd.core.CoreMonitor"), "scr:list to name io.kflowd.core.CoreMonitor");
        assertTrue("scr:list names io.kflowd.shell.KflowdCommands:\n" + out, out.contains("io.kflowd.shell.KflowdCommands"));
    }

    @Test
    public void consoleSocketServesTheCommandsOnceConfigured() throws Exception {
        Path dir = Files.createTempDirectory("kflowd-it-console-");
        Path socket = dir.resolve("console.sock");
        try {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("path", socket.toString());
            org.osgi.service.cm.Configuration console = configurationAdmin.getConfiguration(ConfigurationPids.CONSOLE, "?");
            console.update(properties);

            await("the console socket " + socket + " to appear", () -> Files.exists(socket));
            assertEquals("mode of the console socket", "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            String answer = converse(socket, "kflowd-attach/1 pipe\nkflowd:status\nexit\n");
            boolean root = "root".equals(Files.getOwner(socket).getName());
            if (root) {
                assertTrue("kflowd:status through the console socket:\n" + answer, answer.contains("monitors:"));
            } else {
                // Only root is served: the server closes the connection without a word.
                assertEquals("answer to a user who is not root", "", answer);
            }

            console.delete();
            await("the console socket to be removed once its configuration is gone", () -> !Files.exists(socket));
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    /** Sends {@code input} on the UNIX socket and reads the answer to its end, within the usual bound. */
    private static String converse(Path socket, String input) throws Exception {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(input.getBytes(StandardCharsets.UTF_8)));
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return Channels.newInputStream(channel).readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                return new String(answer.get(FrameworkSupport.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
            } catch (TimeoutException e) {
                throw new AssertionError("the console did not end the session within " + FrameworkSupport.TIMEOUT.toSeconds()
                        + " s after 'exit'");
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs one command line in a fresh session; returns what it printed plus its formatted result. */
    private String run(String command) {
        try {
            return execute(command);
        } catch (Exception e) {
            throw new AssertionError("command '" + command + "' failed: " + e, e);
        }
    }

    private String execute(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err)) {
            Object result = session.execute(command);
            StringBuilder text = new StringBuilder();
            session.getConsole().flush();
            text.append(out.toString(StandardCharsets.UTF_8));
            if (result != null) {
                text.append(session.format(result, Converter.INSPECT));
            }
            String errors = err.toString(StandardCharsets.UTF_8);
            if (!errors.isBlank()) {
                fail("command '" + command + "' wrote to stderr: " + errors);
            }
            return text.toString();
        }
    }

    /**
     * Runs {@code command} until its output satisfies {@code expected} (a command not yet
     * registered counts as not yet); bounded like every wait here.
     */
    private String awaitOutput(String command, Predicate<String> expected, String what) {
        String[] last = {"(not run)"};
        await(what, () -> {
            try {
                last[0] = execute(command);
            } catch (Exception e) {
                last[0] = e.toString();
                return false;
            }
            return expected.test(last[0]);
        }, () -> "output of '" + command + "':\n" + last[0]);
        return last[0];
    }

    /** The value of a "label:   value" line of kflowd:status. */
    private static Optional<String> field(String status, String label) {
        return status.lines().filter(l -> l.startsWith(label + ":")).findFirst()
                .map(l -> l.substring(label.length() + 1).trim());
    }

    private static String stateOf(List<String> lines, String artifact, String out) {
        String line = lines.stream().filter(l -> l.trim().startsWith(artifact + " ") || l.trim().equals(artifact)).findFirst()
                .orElseThrow(() -> new AssertionError("kflowd:features has no line for " + artifact + ":\n" + out));
        return line.trim().substring(artifact.length()).trim();
    }
}
