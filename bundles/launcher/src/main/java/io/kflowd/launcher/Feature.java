package io.kflowd.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One OSGi Feature (Feature Service 1.0 JSON): its id and its bundles. We read only what
 * the launcher uses; org.apache.felix.feature would pull in a JSON-P stack for three fields.
 *
 * @param id       the feature id, {@code group:artifact[:type[:classifier]]:version}
 * @param name     its short name, the file name without {@code .json}
 * @param bundles  its bundles in start order (stable for equal orders)
 */
record Feature(String id, String name, List<FeatureBundle> bundles) {

    /**
     * @param id         {@code group:artifact:version}
     * @param startOrder lower starts first; entries without one start last
     * @param startLevel the OSGi start level; bundles of higher levels stop first, so the
     *                   core (level 3) stops while the plugins (2) and platform (1) still run
     */
    record FeatureBundle(String id, int startOrder, int startLevel) {
        String artifactId() {
            return id.split(":")[1];
        }

        String version() {
            String[] parts = id.split(":");
            return parts[parts.length - 1];
        }

        /** The file name the build gives this bundle: {@code artifact-version.jar}. */
        String fileName() {
            return artifactId() + "-" + version() + ".jar";
        }
    }

    static Feature read(Path file, ObjectMapper mapper) throws IOException {
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        String id = root.path("id").asText("");
        if (id.isEmpty()) {
            throw new IOException(file + ": feature has no \"id\"");
        }
        List<FeatureBundle> bundles = new ArrayList<>();
        for (JsonNode bundle : root.path("bundles")) {
            String bundleId = bundle.isTextual() ? bundle.asText() : bundle.path("id").asText("");
            if (bundleId.split(":").length < 3) {
                throw new IOException(file + ": bundle id '" + bundleId + "' is not group:artifact:version");
            }
            bundles.add(new FeatureBundle(bundleId, bundle.path("start-order").asInt(Integer.MAX_VALUE),
                    bundle.path("start-level").asInt(1)));
        }
        bundles.sort(Comparator.comparingInt(FeatureBundle::startOrder));
        String fileName = file.getFileName().toString();
        return new Feature(id, fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName,
                List.copyOf(bundles));
    }
}
