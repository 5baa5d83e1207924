package io.kflowd.runtime.framework;

import static io.kflowd.runtime.framework.FrameworkSupport.await;
import static io.kflowd.runtime.framework.FrameworkSupport.awaitBundleState;
import static io.kflowd.runtime.framework.FrameworkSupport.bundleFrom;
import static io.kflowd.runtime.framework.FrameworkSupport.bundlesFrom;
import static io.kflowd.runtime.framework.FrameworkSupport.describe;
import static io.kflowd.runtime.framework.FrameworkSupport.holdsForFileInstallPolls;
import static io.kflowd.runtime.framework.FrameworkSupport.snapshot;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kflowd.runtime.TestBundles;
import io.kflowd.runtime.framework.FrameworkSupport.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * The plugin folder end to end inside the framework: FileInstall watching a fresh folder,
 * with real bundles (and broken jars) dropped into it the way an operator should, written
 * as name.part and renamed. Each test leaves the folder empty and no bundle from it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginFolderIT {

    /** Poll periods of FileInstall a negative outcome must hold for. */
    private static final int QUIET_POLLS = 6;

    @Inject
    private BundleContext context;

    private Path folder;

    @Configuration
    public Option[] configuration() {
        return FrameworkSupport.coreFeatureOptions();
    }

    @Before
    public void emptyPluginFolder() throws IOException {
        folder = FrameworkSupport.pluginFolder(context);
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals("the plugin folder is empty before each test", List.of(), files.toList());
        }
        assertEquals("no bundle from the plugin folder before each test", List.of(), describeAll(bundlesFrom(context, folder)));
        // FileInstall is last in the feature; the folder is only watched once it runs.
        await("FileInstall to be ACTIVE",
                () -> FrameworkSupport.bundleNamed(context, "org.apache.felix.fileinstall")
                        .filter(b -> b.getState() == Bundle.ACTIVE).isPresent());
    }

    @After
    public void clearPluginFolder() throws IOException {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        await("every bundle from the plugin folder to be uninstalled",
                () -> bundlesFrom(context, folder).isEmpty(),
                () -> describeAll(bundlesFrom(context, folder)).toString());
    }

    @Test
    public void droppedBundleStartsUpdatedJarReplacesItDeletedFileUninstallsIt() throws IOException {
        Path jar = TestBundles.drop(folder, "lifecycle.jar", TestBundles.bundle("io.kflowd.test.lifecycle", "1.0.0"));
        Bundle installed = awaitBundleState(context, jar, Bundle.ACTIVE);
        long id = installed.getBundleId();
        assertEquals("symbolic name", "io.kflowd.test.lifecycle", installed.getSymbolicName());
        assertEquals("version", Version.parseVersion("1.0.0"), installed.getVersion());

        // Same file name, higher version, written as .part and renamed over the old one.
        TestBundles.drop(folder, "lifecycle.jar", TestBundles.bundle("io.kflowd.test.lifecycle", "1.1.0"));
        Version updated = Version.parseVersion("1.1.0");
        await("lifecycle.jar to be updated to 1.1.0 and ACTIVE",
                () -> updated.equals(installed.getVersion()) && installed.getState() == Bundle.ACTIVE,
                () -> describe(installed));
        assertEquals("the update keeps the bundle id", id, bundleFrom(context, jar).orElseThrow().getBundleId());
        assertEquals("one bundle with the symbolic name after the update", 1,
                Stream.of(context.getBundles()).filter(b -> "io.kflowd.test.lifecycle".equals(b.getSymbolicName())).count());
        assertEquals("the updated content is served", "1.1.0",
                new String(installed.getEntry("test-plugin/version.txt").openStream().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));

        Files.delete(jar);
        await("the bundle of the deleted lifecycle.jar to be uninstalled", () -> context.getBundle(id) == null,
                () -> describe(installed));
        assertEquals("state of the removed bundle", Bundle.UNINSTALLED, installed.getState());
    }

    @Test
    public void partFileIsNeverInstalled() throws IOException {
        Path part = folder.resolve("pending.jar.part");
        Files.write(part, TestBundles.bundle("io.kflowd.test.pending", "1.0.0"));

        // A bundle dropped after the .part file is started: FileInstall has scanned past it.
        Path sentinel = TestBundles.drop(folder, "sentinel-part.jar", TestBundles.bundle("io.kflowd.test.sentinel.part", "1.0.0"));
        awaitBundleState(context, sentinel, Bundle.ACTIVE);

        holdsForFileInstallPolls("no bundle installed from pending.jar.part", QUIET_POLLS,
                () -> bundleFrom(context, part).isEmpty()
                        && FrameworkSupport.bundleNamed(context, "io.kflowd.test.pending").isEmpty(),
                () -> describeAll(bundlesFrom(context, folder)).toString());
        assertTrue("the .part file is still there, untouched", Files.isRegularFile(part));
    }

    @Test
    public void corruptJarInstallsNothingChangesNothingAndIsReportedExactlyOnce() throws IOException {
        Map<Long, String> before = snapshot(context);
        try (LogCapture log = new LogCapture("")) {
            Path broken = TestBundles.drop(folder, "broken.jar", TestBundles.corrupt());

            Path sentinel = TestBundles.drop(folder, "sentinel-corrupt.jar", TestBundles.bundle("io.kflowd.test.sentinel.corrupt", "1.0.0"));
            Bundle sentinelBundle = awaitBundleState(context, sentinel, Bundle.ACTIVE);

            // Reported through java.util.logging, asynchronously (the OSGi log is forwarded).
            await("a log record naming broken.jar", () -> !log.mentioning("broken.jar").isEmpty(),
                    () -> "records so far: " + LogCapture.describe(log.all()));

            holdsForFileInstallPolls("nothing installed from broken.jar", QUIET_POLLS,
                    () -> bundleFrom(context, broken).isEmpty(),
                    () -> describe(bundleFrom(context, broken).orElseThrow()));

            Map<Long, String> after = snapshot(context);
            after.remove(sentinelBundle.getBundleId());
            assertEquals("bundles and their states, apart from the sentinel, after broken.jar was dropped", before, after);

            List<LogRecord> reports = log.mentioning("broken.jar");
            assertEquals("reports naming broken.jar after " + QUIET_POLLS + " more poll periods (loggers: "
                    + reports.stream().map(LogRecord::getLoggerName).toList() + "): " + LogCapture.describe(reports),
                    1, reports.size());
            assertEquals("level of the report", Level.SEVERE, reports.get(0).getLevel());
        }
    }

    @Test
    public void bundleFileInstallCannotInstallIsReportedExactlyOnce() throws IOException {
        // A manifest with a symbolic name (so FileInstall takes it as a bundle) and a
        // Bundle-Version that is no version: the install fails.
        Map<Long, String> before = snapshot(context);
        try (LogCapture log = new LogCapture("")) {
            Path bad = TestBundles.drop(folder, "badversion.jar", TestBundles.bundle("io.kflowd.test.badversion", "not-a-version"));

            Path sentinel = TestBundles.drop(folder, "sentinel-badversion.jar", TestBundles.bundle("io.kflowd.test.sentinel.badversion", "1.0.0"));
            Bundle sentinelBundle = awaitBundleState(context, sentinel, Bundle.ACTIVE);

            await("a log record naming badversion.jar", () -> !log.mentioning("badversion.jar").isEmpty(),
                    () -> "records so far: " + LogCapture.describe(log.all()));
            holdsForFileInstallPolls("nothing installed from badversion.jar", QUIET_POLLS,
                    () -> bundleFrom(context, bad).isEmpty()
                            && FrameworkSupport.bundleNamed(context, "io.kflowd.test.badversion").isEmpty(),
                    () -> describeAll(bundlesFrom(context, folder)).toString());

            Map<Long, String> after = snapshot(context);
            after.remove(sentinelBundle.getBundleId());
            assertEquals("bundles and their states, apart from the sentinel", before, after);

            List<LogRecord> reports = log.mentioning("badversion.jar");
            assertEquals("reports naming badversion.jar after " + QUIET_POLLS + " more poll periods (loggers: "
                    + reports.stream().map(LogRecord::getLoggerName).toList() + "): " + LogCapture.describe(reports),
                    1, reports.size());
            assertEquals("level of the report", Level.SEVERE, reports.get(0).getLevel());
        }
    }

    @Test
    public void unresolvableBundleIsInstalledButStaysInstalledAndTheRestIsUnaffected() throws IOException {
        Map<Long, String> before = snapshot(context);
        Path jar = TestBundles.drop(folder, "unresolvable.jar", TestBundles.unresolvableBundle("io.kflowd.test.unresolvable"));
        Bundle unresolvable = awaitBundleState(context, jar, Bundle.INSTALLED);

        Path sentinel = TestBundles.drop(folder, "sentinel-unresolvable.jar", TestBundles.bundle("io.kflowd.test.sentinel.unresolvable", "1.0.0"));
        Bundle sentinelBundle = awaitBundleState(context, sentinel, Bundle.ACTIVE);

        holdsForFileInstallPolls("unresolvable.jar stays INSTALLED", QUIET_POLLS,
                () -> unresolvable.getState() == Bundle.INSTALLED, () -> describe(unresolvable));
        assertEquals("the unresolvable bundle is still the one installed from the file",
                unresolvable.getBundleId(), bundleFrom(context, jar).orElseThrow().getBundleId());

        Map<Long, String> after = snapshot(context);
        after.remove(sentinelBundle.getBundleId());
        after.remove(unresolvable.getBundleId());
        assertEquals("every other bundle and its state, after the unresolvable bundle was dropped", before, after);
        assertFalse("every other bundle is still ACTIVE: " + after.values(), after.values().stream()
                .anyMatch(d -> d.contains(" INSTALLED ") || d.contains(" RESOLVED ")));
    }

    private static List<String> describeAll(List<Bundle> bundles) {
        return bundles.stream().map(FrameworkSupport::describe).toList();
    }
}
