package io.kflowd.launcher;

import io.kflowd.launcher.cli.CommandLineParser;
import io.kflowd.launcher.cli.Legend;
import io.kflowd.launcher.cli.Options;
import io.kflowd.launcher.cli.ParseResult;
import io.kflowd.launcher.cli.UsageText;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.FrameworkEvent;
import sun.misc.Signal;

/**
 * {@code bin/kflowd}: the kflowd command line, then the embedded framework until SIGTERM or
 * SIGINT. Usage errors and refusals are messages with exit status 1, never stack traces.
 */
public final class Main {

    private static final Logger LOG = Logger.getLogger("kflowd.launcher");
    /** Set in the environment of the re-executed child of {@code -d}. */
    static final String DAEMON_CHILD_ENV = "KFLOWD_DAEMON_CHILD";
    /**
     * How long an orderly stop may take before we give up on it. It normally takes 1-2 s;
     * detaching each tracepoint program waits for an RCU grace period, which on a loaded
     * machine took up to 3 s for 60 programs, and a complete flush is worth waiting for.
     */
    private static final long STOP_TIMEOUT_MILLIS = 9000;
    /** FileInstall scans the plugin folder every 0.5 s; its first scan installs the formatters. */
    private static final long FORMATTER_WAIT_MILLIS = 10_000;
    /** Loading and attaching ~70 programs takes 1-2 s here; a loaded machine may take longer. */
    private static final long KERNEL_WAIT_MILLIS = 60_000;

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(List.of(args));
        } catch (RuntimeException e) {
            System.err.println("kflowd: error: " + LogSetup.OneLineFormatter.reason(e));
            status = 1;
        }
        System.out.flush();
        System.exit(status);
    }

    static int run(List<String> args) {
        BuildInfo build = BuildInfo.load();
        boolean color = isTerminal();
        ParseResult result = new CommandLineParser().parse(args);
        PrintStream out = System.out;
        return switch (result) {
            case ParseResult.ShowHelp help -> {
                out.print(UsageText.help(build.version(), color));
                yield 0;
            }
            case ParseResult.ShowLegend legend -> {
                out.print(Legend.render(build.version(), color));
                yield 0;
            }
            case ParseResult.ShowVersion version -> {
                out.println(versionLine(build));
                yield 0;
            }
            case ParseResult.UsageError error -> {
                out.print(UsageText.usageError(build.version(), error.reason(), color));
                yield 1;
            }
            case ParseResult.Attach attach -> {
                if (!isRoot()) {
                    yield notRoot();
                }
                yield ConsoleClient.attach(Layout.fromSystemProperties().consoleSocket(), isTerminal());
            }
            case ParseResult.Run run -> {
                if (!isRoot()) {
                    yield notRoot();
                }
                yield monitor(build, run.options(), args);
            }
        };
    }

    static String versionLine(BuildInfo build) {
        return "kflowd v" + build.version() + " (built " + build.buildDate()
                + ", Java " + Runtime.version()
                + ", Linux " + HostFacts.kernelRelease()
                + ", " + HostFacts.architecture()
                + ", libbpf " + HostFacts.libbpfVersion() + ")";
    }

    private static int monitor(BuildInfo build, Options options, List<String> args) {
        Layout layout = Layout.fromSystemProperties();
        boolean daemonChild = System.getenv(DAEMON_CHILD_ENV) != null;
        if (daemonChild) {
            try {
                LogSetup.toSyslog(options.verbose());
            } catch (IOException e) {
                LogSetup.toStderr(options.verbose());
                LOG.warning("cannot log to syslog (" + e.getMessage() + "); logging to stderr");
            }
        } else {
            LogSetup.toStderr(options.verbose());
        }

        Path pluginFolder = Optional.ofNullable(options.pluginPath()).map(Path::of).orElse(layout.plugins())
                .toAbsolutePath().normalize();
        List<String> problems = PluginFolderGuard.problems(pluginFolder);
        if (!problems.isEmpty()) {
            for (String problem : problems) {
                System.err.println("kflowd: error: " + problem);
            }
            System.err.println("kflowd: error: refusing to start: whatever is in the plugin folder runs as root;"
                    + " it and its jars must be owned by root and not writable by group or others");
            return 1;
        }
        if (options.daemon() && !daemonChild) {
            return Daemon.detach(layout, args);
        }

        KflowdRuntime runtime = null;
        try {
            Files.createDirectories(layout.runDir());
            runtime = new KflowdRuntime(layout, pluginFolder, options);
            runtime.start();
            // --shell sends records only to -u collectors, but the format is still used there
            var missing = runtime.awaitFormatter(options.output().cliName(), FORMATTER_WAIT_MILLIS);
            if (missing.isEmpty()) {
                missing = runtime.awaitKernel(KERNEL_WAIT_MILLIS);
            }
            if (missing.isPresent()) {
                LOG.severe("refusing to run: " + missing.get());
                runtime.stop(STOP_TIMEOUT_MILLIS);
                runtime.deleteCache();
                return 1;
            }
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "cannot start", e);
            if (runtime != null) {
                runtime.stop(STOP_TIMEOUT_MILLIS);
                runtime.deleteCache();
            }
            return 1;
        }
        installSignalHandlers(runtime);
        if (daemonChild) {
            try {
                Daemon.writePidFile(layout.pidFile());
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "cannot write " + layout.pidFile(), e);
                runtime.stop(STOP_TIMEOUT_MILLIS);
                return 1;
            }
        }
        long readyMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        LOG.info("kflowd v" + build.version() + " running, pid " + ProcessHandle.current().pid() + ", "
                + (daemonChild ? "daemon" : options.shell() ? "shell" : "terminal") + " mode, plugin folder "
                + pluginFolder + ", console " + layout.consoleSocket() + ", ready in " + readyMillis + " ms");

        try {
            FrameworkEvent event = runtime.framework().waitForStop(0);
            if (event.getType() == FrameworkEvent.ERROR) {
                LOG.log(Level.SEVERE, "the framework stopped with an error", event.getThrowable());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            runtime.deleteCache();
            if (daemonChild) {
                Daemon.removePidFile(layout.pidFile());
            }
        }
        LOG.info("kflowd stopped");
        return 0;
    }

    /**
     * SIGTERM and SIGINT stop the framework in order (bundles stopped, kernel programs
     * detached, pending records flushed); the main thread then returns 0. If the stop
     * hangs, the process ends anyway after the timeout, with status 1 and a message.
     */
    private static void installSignalHandlers(KflowdRuntime runtime) {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("kflowd-stop").start(() -> {
                if (!runtime.stop(STOP_TIMEOUT_MILLIS)) {
                    System.err.println("kflowd: error: orderly stop did not finish within "
                            + STOP_TIMEOUT_MILLIS + " ms; exiting");
                    Runtime.getRuntime().halt(1);
                }
            }));
        }
    }

    private static boolean isRoot() {
        return HostFacts.effectiveUid().map(uid -> uid == 0).orElse(false);
    }

    private static int notRoot() {
        System.err.println("kflowd: error: kflowd must run as root (it loads eBPF programs into the kernel); try: sudo kflowd");
        return 1;
    }

    private static boolean isTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
