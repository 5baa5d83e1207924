package io.kflowd.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds small real bundles (and broken jars) for the plugin-folder tests. */
public final class TestBundles {

    private TestBundles() {
    }

    /** A minimal valid bundle: symbolic name, version, one resource naming its version. */
    public static byte[] bundle(String symbolicName, String version) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Name", "kflowd test plugin " + symbolicName);
        var bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("test-plugin/version.txt"));
            jar.write(version.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** A bundle that imports a package nobody exports: installs, never resolves. */
    public static byte[] unresolvableBundle(String symbolicName) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "io.kflowd.test.nobody.exports.this;version=\"[9,10)\"");
        var bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("empty.txt"));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Bytes that are no jar at all. */
    public static byte[] corrupt() {
        return "this is not a zip file, just text with a .jar name\n".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Puts a jar into a watched folder the safe way: written as {@code name.part} (ignored
     * by the watcher), then renamed, so the watcher never sees a half-written file.
     */
    public static Path drop(Path folder, String fileName, byte[] content) throws IOException {
        Path part = folder.resolve(fileName + ".part");
        try (OutputStream out = Files.newOutputStream(part)) {
            out.write(content);
        }
        return Files.move(part, folder.resolve(fileName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
