package io.kflowd.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.hooks.resolver.ResolverHookFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Whatever sits in the plugin folder runs as root, so it is treated like sshd's StrictModes
 * treats key files: the folder, its parents and every jar must be owned by root and not
 * writable by group or others (a parent may be others-writable only with the sticky bit,
 * like /tmp, which stops others from renaming what they do not own).
 *
 * <p>At start {@link #problems} makes the launcher refuse to run. While running, a jar that
 * appears (or is updated) with unsafe ownership or mode is installed by FileInstall but
 * never resolved: the resolver hook removes it from the candidates, so none of its code
 * can run, and one log line says why.
 */
final class PluginFolderGuard implements SynchronousBundleListener, ResolverHookFactory {

    private static final Logger LOG = Logger.getLogger("kflowd.plugins");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private final Path folder;
    private final Set<Long> refused = ConcurrentHashMap.newKeySet();

    PluginFolderGuard(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    /** Everything unsafe about the folder and the jars in it; empty when it is safe to load. */
    static List<String> problems(Path folder) {
        List<String> problems = new ArrayList<>();
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            problems.add("plugin folder " + dir + " does not exist or is not a directory");
            return problems;
        }
        unsafeDirectory(dir, false).ifPresent(problems::add);
        for (Path parent = dir.getParent(); parent != null; parent = parent.getParent()) {
            unsafeDirectory(parent, true).ifPresent(problems::add);
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                unsafeJar(jar).ifPresent(problems::add);
            }
        } catch (IOException e) {
            problems.add("cannot list plugin folder " + dir + ": " + e.getMessage());
        }
        return problems;
    }

    /** Why this jar must not be loaded, if it must not. */
    static Optional<String> unsafeJar(Path jar) {
        try {
            Path real = jar.toRealPath();
            PosixFileAttributes attributes = Files.readAttributes(real, PosixFileAttributes.class);
            if (!attributes.isRegularFile()) {
                return Optional.of(jar + " is not a regular file");
            }
            return unsafe(jar, attributes, false);
        } catch (IOException e) {
            return Optional.of("cannot check " + jar + ": " + e.getMessage());
        }
    }

    private static Optional<String> unsafeDirectory(Path dir, boolean stickyAllowed) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
            return unsafe(dir, attributes, stickyAllowed && isSticky(dir));
        } catch (IOException e) {
            return Optional.of("cannot check " + dir + ": " + e.getMessage());
        }
    }

    private static Optional<String> unsafe(Path path, PosixFileAttributes attributes, boolean sticky) {
        String owner = attributes.owner().getName();
        if (!"root".equals(owner)) {
            return Optional.of(path + " is owned by " + owner + ", not root");
        }
        Set<PosixFilePermission> writable = mutableCopy(attributes.permissions());
        writable.retainAll(GROUP_OR_OTHER_WRITE);
        if (sticky) {
            writable.remove(PosixFilePermission.OTHERS_WRITE);
            writable.remove(PosixFilePermission.GROUP_WRITE);
        }
        if (!writable.isEmpty()) {
            return Optional.of(path + " is writable by " + (writable.contains(PosixFilePermission.GROUP_WRITE)
                    ? (writable.contains(PosixFilePermission.OTHERS_WRITE) ? "group and others" : "group")
                    : "others") + " (mode " + modeString(attributes.permissions()) + ")");
        }
        return Optional.empty();
    }

    private static Set<PosixFilePermission> mutableCopy(Set<PosixFilePermission> permissions) {
        return permissions.isEmpty() ? java.util.EnumSet.noneOf(PosixFilePermission.class) : java.util.EnumSet.copyOf(permissions);
    }

    private static boolean isSticky(Path dir) throws IOException {
        Object mode = Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        return mode instanceof Integer m && (m & 01000) != 0;
    }

    private static String modeString(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    // --- while running -------------------------------------------------------------------

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        Bundle bundle = event.getBundle();
        if (type == BundleEvent.UNINSTALLED) {
            refused.remove(bundle.getBundleId());
            return;
        }
        if (type != BundleEvent.INSTALLED && type != BundleEvent.UPDATED) {
            return;
        }
        Optional<Path> jar = pluginJar(bundle.getLocation());
        if (jar.isEmpty()) {
            return;
        }
        Optional<String> problem = unsafeJar(jar.get())
                .or(() -> unsafeDirectory(folder, false))
                .or(() -> unsafeTwin(bundle));
        if (problem.isPresent()) {
            refused.add(bundle.getBundleId());
            LOG.severe("refusing plugin " + jar.get().getFileName() + ": " + problem.get()
                    + "; it stays installed but is never resolved. Fix with: chown root:root and chmod go-w, then touch the file");
        } else {
            refused.remove(bundle.getBundleId());
        }
    }

    /**
     * FileInstall updates an installed bundle from another file of the folder that holds the
     * same symbolic name and version (instead of installing it beside): the bundle's location
     * is then still the original, safe jar while its content came from the other file. So an
     * unsafe jar anywhere in the folder that carries this bundle's name and version refuses it.
     */
    private Optional<String> unsafeTwin(Bundle bundle) {
        String name = bundle.getSymbolicName();
        String version = bundle.getVersion().toString();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path other : jars) {
                Optional<String> problem = unsafeJar(other);
                if (problem.isPresent() && sameBundle(other, name, version)) {
                    return Optional.of("its content may come from " + other.getFileName() + " (same name and version): "
                            + problem.get());
                }
            }
        } catch (IOException e) {
            return Optional.of("the plugin folder cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean sameBundle(Path jar, String name, String version) {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest manifest = file.getManifest();
            if (manifest == null) {
                return false;
            }
            String bsn = manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            String v = manifest.getMainAttributes().getValue("Bundle-Version");
            return bsn != null && bsn.split(";")[0].trim().equals(name)
                    && org.osgi.framework.Version.parseVersion(v == null ? "0" : v.trim()).toString().equals(version);
        } catch (IOException | IllegalArgumentException e) {
            return false;   // not a bundle: FileInstall does not install it
        }
    }

    private Optional<Path> pluginJar(String location) {
        if (location == null || !location.startsWith("file:")) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(URI.create(location)).toAbsolutePath().normalize();
            return folder.equals(path.getParent()) ? Optional.of(path) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public ResolverHook begin(Collection<BundleRevision> triggers) {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                candidates.removeIf(revision -> refused.contains(revision.getBundle().getBundleId()));
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton, Collection<BundleCapability> collisionCandidates) {
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
            }

            @Override
            public void end() {
            }
        };
    }
}
