package io.kflowd.launcher.cli;

import io.kflowd.launcher.cli.PortEntry.Proto;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The validation rules of each option's argument, as kflowd applies them (spec 10.1).
 * Every method either returns the parsed value or throws {@link UsageException} with the
 * reason shown to the user.
 */
final class OptionArguments {

    /** kflowd has 8 collector slots but rejects the 8th collector [quirk Q25, kept]. */
    static final int MAX_COLLECTORS = 7;
    /** {@code TOKEN_LEN_MAX} - 1. */
    static final int MAX_TOKEN_BYTES = 63;
    /** {@code PATH_MAX} - 1. */
    static final int MAX_PLUGIN_PATH_BYTES = 4095;
    /** {@code DBG_LEN_MAX} - 1: the kernel compares at most 15 characters of a process name. */
    static final int MAX_DEBUG_FILTER_BYTES = 15;
    /** "tcp/65535": a -p entry longer than this is rejected, so a port has at most 5 digits. */
    private static final int MAX_ENTRY_LENGTH = 9;
    private static final int MAX_COLLECTOR_PORT_DIGITS = 5;

    /** Idle and active socket timeouts in seconds. */
    record Timeouts(int idle, int active) {
    }

    /** One {@code -p} argument: which application, and its entries or off. */
    record AppSetting(App app, AppPorts ports) {
    }

    private OptionArguments() {
    }

    /**
     * {@code -m}: comma list of non-empty prefixes of "file" and "socket". Empty list items are
     * skipped (kflowd tokenises with strtok), so {@code -m ''} names nothing and the default
     * (both) applies unless another {@code -m} names something.
     */
    static Set<Monitor> monitors(String value) {
        Set<Monitor> monitors = EnumSet.noneOf(Monitor.class);
        for (String token : tokens(value)) {
            if (Monitor.FILE.cliName().startsWith(token)) {
                monitors.add(Monitor.FILE);
            } else if (Monitor.SOCKET.cliName().startsWith(token)) {
                monitors.add(Monitor.SOCKET);
            } else {
                throw new UsageException("Invalid subsystem '" + token + "' for -m (expected file, socket)");
            }
        }
        return monitors;
    }

    /**
     * {@code -t IDLE,ACTIVE}: the first value (if not empty) sets IDLE, the last value after a
     * comma sets ACTIVE, values in between are ignored; digits and commas only; the resulting
     * pair (with the previous values for what is not given) must be non-zero.
     */
    static Timeouts timeouts(String value, Timeouts current) {
        UsageException invalid = new UsageException("Invalid timeout '" + value
                + "' for -t (expected IDLE,ACTIVE in seconds, both > 0)");
        if (value.isEmpty() || !value.chars().allMatch(c -> c == ',' || isDigit(c))) {
            throw invalid;
        }
        String[] parts = value.split(",", -1);
        int idle = current.idle();
        int active = current.active();
        if (!parts[0].isEmpty()) {
            idle = positive(parts[0], invalid);
        }
        if (parts.length > 1) {
            // "30," has an empty ACTIVE value: kflowd's atoi makes that 0, which is invalid.
            active = positive(parts[parts.length - 1], invalid);
        }
        return new Timeouts(idle, active);
    }

    /** {@code -e}: digits only, greater than zero. */
    static int maxEvents(String value) {
        return positive(value, new UsageException("Invalid event count '" + value
                + "' for -e (expected a number > 0)"));
    }

    /**
     * {@code -o}: "" and prefixes of "json" are json; prefixes of "json-min" longer than 5
     * characters are json-min ("json-" is neither); prefixes of "table" are table, of "ocsf" ocsf.
     */
    static OutputFormat output(String value) {
        if (OutputFormat.JSON.cliName().startsWith(value)) {
            return OutputFormat.JSON;
        }
        if (value.length() > 5 && OutputFormat.JSON_MIN.cliName().startsWith(value)) {
            return OutputFormat.JSON_MIN;
        }
        if (OutputFormat.TABLE.cliName().startsWith(value)) {
            return OutputFormat.TABLE;
        }
        if (OutputFormat.OCSF.cliName().startsWith(value)) {
            return OutputFormat.OCSF;
        }
        throw new UsageException("Invalid output format '" + value + "' for -o (expected json, json-min, table or ocsf)");
    }

    /**
     * {@code -p APP=off} (exactly, case-sensitive) or {@code -p APP=ENTRY,...} with a
     * case-insensitive app name and entries. An empty argument is a usage error here; kflowd
     * crashes on it [quirk Q26, fixed].
     */
    static AppSetting appPorts(String value) {
        for (App app : App.values()) {
            if (value.equals(app.cliName() + "=off")) {
                return new AppSetting(app, AppPorts.off());
            }
        }
        int equals = value.indexOf('=');
        String name = equals < 0 ? value : value.substring(0, equals);
        App app = null;
        for (App candidate : App.values()) {
            if (candidate.cliName().equalsIgnoreCase(name)) {
                app = candidate;
            }
        }
        if (app == null) {
            throw new UsageException("Invalid -p argument '" + value
                    + "' (expected APP=PROTO/PORT,... or APP=off with APP one of dns, http, syslog, tls)");
        }
        List<String> items = tokens(equals < 0 ? "" : value.substring(equals + 1));
        if (items.isEmpty()) {
            throw new UsageException("Missing " + app.displayName() + " ports in -p '" + value + "'");
        }
        List<PortEntry> entries = new ArrayList<>();
        for (String item : items) {
            PortEntry entry = portEntry(app, item);
            if (entries.contains(entry)) {
                throw new UsageException("Duplicate " + app.displayName() + " port '" + item + "'");
            }
            entries.add(entry);
            if (entries.size() > AppPorts.MAX_ENTRIES) {
                throw new UsageException("Too many " + app.displayName() + " ports (at most "
                        + AppPorts.MAX_ENTRIES + ")");
            }
        }
        return new AppSetting(app, AppPorts.of(entries));
    }

    private static PortEntry portEntry(App app, String item) {
        String lower = item.toLowerCase(Locale.ROOT);
        Proto proto;
        if (lower.equals(Proto.UNIX.cliName())) {
            proto = Proto.UNIX;
        } else if (lower.startsWith("tcp/")) {
            proto = Proto.TCP;
        } else if (lower.startsWith("udp/")) {
            proto = Proto.UDP;
        } else {
            proto = null;
        }
        if (proto == null || !app.accepts(proto)) {
            throw new UsageException("Invalid protocol '" + item + "' for " + app.displayName()
                    + " ports (allowed: " + allowed(app) + ")");
        }
        if (proto == Proto.UNIX) {
            return PortEntry.unix();
        }
        String digits = item.substring(4);
        // No range check in kflowd (ports are cut to 16 bits); we reject 65536-99999 instead
        // of capturing some unrelated port. Port 0 stays accepted as in kflowd.
        if (item.length() > MAX_ENTRY_LENGTH || digits.isEmpty() || !digits.chars().allMatch(OptionArguments::isDigit)
                || Integer.parseInt(digits) > 0xFFFF) {
            throw new UsageException("Invalid " + app.displayName() + " port '" + item + "'");
        }
        return new PortEntry(proto, Integer.parseInt(digits));
    }

    /** The entry forms an application accepts, e.g. "tcp/N, udp/N" (for messages and help). */
    static String allowed(App app) {
        return EnumSet.allOf(Proto.class).stream()
                .filter(app::accepts)
                .map(p -> p == Proto.UNIX ? p.cliName() : p.cliName() + "/N")
                .collect(Collectors.joining(", "));
    }

    /**
     * {@code -u IP:PORT,...}: split at the last colon, port checked first, then the address as
     * a strict literal (never resolved). {@code alreadyGiven} counts collectors of earlier
     * {@code -u} options, since the limit applies to all of them together.
     */
    static List<Collector> collectors(String value, int alreadyGiven) {
        List<String> items = tokens(value);
        if (items.isEmpty()) {
            // kflowd dereferences a null token here; we say what is wrong instead.
            throw new UsageException("Invalid UDP collector '" + value + "' for -u (expected IP:PORT)");
        }
        List<Collector> collectors = new ArrayList<>();
        for (String item : items) {
            int colon = item.lastIndexOf(':');
            if (colon <= 0) {
                throw new UsageException("Invalid UDP collector '" + item + "' for -u (expected IP:PORT)");
            }
            String portText = item.substring(colon + 1);
            if (portText.isEmpty() || portText.length() > MAX_COLLECTOR_PORT_DIGITS
                    || !portText.chars().allMatch(OptionArguments::isDigit)
                    || Integer.parseInt(portText) == 0 || Integer.parseInt(portText) > 0xFFFF) {
                throw new UsageException("Invalid UDP collector port in '" + item + "' (expected 1-65535)");
            }
            InetAddress address = IpLiteral.parse(item.substring(0, colon)).orElseThrow(() -> new UsageException(
                    "Invalid UDP collector address in '" + item
                            + "' (expected an IPv4 or IPv6 literal without brackets)"));
            collectors.add(new Collector(address, Integer.parseInt(portText)));
            if (alreadyGiven + collectors.size() > MAX_COLLECTORS) {
                throw new UsageException("Too many UDP collectors (at most " + MAX_COLLECTORS + ")");
            }
        }
        return collectors;
    }

    /** {@code -T}: at most 63 bytes; empty means no token (kflowd omits InfoHostToken then). */
    static String hostToken(String value) {
        if (utf8Length(value) > MAX_TOKEN_BYTES) {
            throw new UsageException("Host token too long for -T (at most " + MAX_TOKEN_BYTES + " bytes)");
        }
        return value.isEmpty() ? null : value;
    }

    /**
     * {@code -P}: at most 4095 bytes, kept as given (no '/' appended). An empty path is
     * rejected; kflowd reads before the string [quirk Q26, fixed].
     */
    static String pluginPath(String value) {
        if (value.isEmpty()) {
            throw new UsageException("Empty plugin path for -P");
        }
        if (utf8Length(value) > MAX_PLUGIN_PATH_BYTES) {
            throw new UsageException("Plugin path too long for -P (at most " + MAX_PLUGIN_PATH_BYTES + " bytes)");
        }
        return value;
    }

    /** {@code -D}: at most 15 bytes (the kernel's process name length); empty means off. */
    static String debugFilter(String value) {
        if (utf8Length(value) > MAX_DEBUG_FILTER_BYTES) {
            throw new UsageException("Debug filter too long for -D (at most " + MAX_DEBUG_FILTER_BYTES + " bytes)");
        }
        return value.isEmpty() ? null : value;
    }

    /** The non-empty items of a comma list, like successive strtok calls. */
    private static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        for (String token : value.split(",")) {
            if (!token.isEmpty()) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    /** A digits-only number greater than zero that fits an int, else {@code invalid}. */
    private static int positive(String digits, UsageException invalid) {
        if (digits.isEmpty() || !digits.chars().allMatch(OptionArguments::isDigit)) {
            throw invalid;
        }
        String significant = digits.replaceFirst("^0+", "");
        if (significant.isEmpty() || significant.length() > 10
                || Long.parseLong(significant) > Integer.MAX_VALUE) {
            throw invalid;
        }
        return Integer.parseInt(significant);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Lengths are limited in bytes, as kflowd's C buffers are. */
    private static int utf8Length(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }
}
