package io.kflowd.pluginfolder;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.logging.Logger;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/**
 * FileInstall silently skips a jar in the plugin folder that it cannot handle (not a zip,
 * no manifest, not a bundle) and looks at it again on every scan. This installer claims
 * exactly those files (FileInstall asks registered installers before its own bundle
 * handling, so it must never claim a real bundle) and gives one clear line each, when
 * the file appears or changes; nothing is installed and nothing else changes.
 */
@Component
public final class NonBundleReporter implements ArtifactInstaller {

    private static final Logger LOG = Logger.getLogger("kflowd.plugins");

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && whyNotABundle(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        LOG.severe("ignoring plugin " + artifact.getName() + ": " + whyNotABundle(artifact));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        LOG.info("ignored plugin file " + artifact.getName() + " was removed");
    }

    /** Why the file is not a bundle, or null when it is one. */
    static String whyNotABundle(File artifact) {
        try (JarFile jar = new JarFile(artifact)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "the jar has no META-INF/MANIFEST.MF";
            }
            if (manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return "the jar's manifest has no Bundle-SymbolicName, so it is not an OSGi bundle";
            }
            return null;
        } catch (IOException e) {
            return "not a valid jar (" + e.getMessage() + ")";
        }
    }
}
