package io.kflowd.enrich.versions;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The dpkg database as path -> package version: {@code /var/lib/dpkg/status} gives each
 * installed package's version ({@code Package}, {@code Architecture}, {@code Version} with
 * epoch, e.g. {@code 1:9.2p1-2+deb12u1}), {@code /var/lib/dpkg/info/<package>[:<arch>].list}
 * the paths each one installed. Directories (a line that the next line continues with "/")
 * are left out; diversions ({@code dpkg-divert}) are not followed: a diverted path keeps the
 * package whose list names it. Immutable once read.
 */
final class DpkgIndex {

    /** One installed package. */
    record Owner(String pkg, String version) {
    }

    private final Map<String, Owner> byPath;
    private final int packages;

    private DpkgIndex(Map<String, Owner> byPath, int packages) {
        this.byPath = byPath;
        this.packages = packages;
    }

    /** Reads {@code <dpkgDir>/status} and {@code <dpkgDir>/info/*.list}. */
    static DpkgIndex read(Path dpkgDir) throws IOException {
        Map<String, Owner> owners = installedPackages(dpkgDir.resolve("status"));
        Map<String, Owner> byPath = new HashMap<>(1 << 17);
        try (DirectoryStream<Path> lists = Files.newDirectoryStream(dpkgDir.resolve("info"), "*.list")) {
            for (Path list : lists) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.io.InterruptedIOException("reading the dpkg database was interrupted");
                }
                String name = list.getFileName().toString();
                Owner owner = owner(owners, name.substring(0, name.length() - ".list".length()));
                if (owner != null) {
                    paths(list, owner, byPath);
                }
            }
        }
        return new DpkgIndex(byPath, new java.util.HashSet<>(owners.values()).size());
    }

    /**
     * A list file's name is the package, arch-qualified for Multi-Arch: same packages
     * ({@code libc6:amd64}); the status file names the package and its architecture apart.
     */
    private static Owner owner(Map<String, Owner> owners, String listName) {
        Owner owner = owners.get(listName);
        if (owner == null && listName.indexOf(':') > 0) {
            owner = owners.get(listName.substring(0, listName.indexOf(':')));
        }
        return owner;
    }

    /** Package name and "name:arch" -> owner, for packages whose files are on disk. */
    static Map<String, Owner> installedPackages(Path status) throws IOException {
        Map<String, Owner> result = new HashMap<>();
        try (BufferedReader reader = Files.newBufferedReader(status, StandardCharsets.UTF_8)) {
            String pkg = null;
            String arch = null;
            String version = null;
            String state = null;
            String line;
            do {
                line = reader.readLine();
                if (line == null || line.isEmpty()) {
                    if (pkg != null && version != null && onDisk(state)) {
                        Owner owner = new Owner(arch == null ? pkg : pkg + ":" + arch, version);
                        result.put(pkg + (arch == null ? "" : ":" + arch), owner);
                        result.putIfAbsent(pkg, owner);
                    }
                    pkg = arch = version = state = null;
                } else if (line.startsWith("Package:")) {
                    pkg = line.substring(8).trim();
                } else if (line.startsWith("Architecture:")) {
                    arch = line.substring(13).trim();
                } else if (line.startsWith("Version:")) {
                    version = line.substring(8).trim();
                } else if (line.startsWith("Status:")) {
                    state = line.substring(7).trim();
                }
            } while (line != null);
        }
        return result;
    }

    /** "install ok installed", also half-configured, unpacked...; not config-files or not-installed. */
    private static boolean onDisk(String status) {
        if (status == null) {
            return false;
        }
        String[] words = status.split("\\s+");
        String state = words[words.length - 1];
        return !state.equals("not-installed") && !state.equals("config-files");
    }

    private static void paths(Path list, Owner owner, Map<String, Owner> into) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(list, StandardCharsets.UTF_8)) {
            String previous = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty() || line.charAt(0) != '/' || line.equals("/.")) {
                    continue;
                }
                if (previous != null && !(line.startsWith(previous) && line.length() > previous.length()
                        && line.charAt(previous.length()) == '/')) {
                    into.put(previous, owner);
                }
                previous = line;
            }
            if (previous != null) {
                into.put(previous, owner);
            }
        } catch (java.nio.charset.MalformedInputException e) {
            // a list with a path that is not UTF-8: the paths before it count, the rest are skipped
        }
    }

    /** The owner of this exact path, or null. */
    Owner owner(String path) {
        return byPath.get(path);
    }

    int paths() {
        return byPath.size();
    }

    int packages() {
        return packages;
    }
}
