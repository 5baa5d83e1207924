package io.kflowd.api;

/**
 * The kinds of plugin service. Every decoder, formatter and sink registers its service
 * with the property {@link #PROPERTY} set to one of these names, so the console can list
 * plugins without knowing their interfaces.
 */
public enum PluginKind {
    DECODER, FORMATTER, SINK, ENRICHER;

    /** Service property naming the plugin kind: {@code kflowd.plugin.kind}. */
    public static final String PROPERTY = "kflowd.plugin.kind";

    /** The property value, e.g. {@code decoder}. */
    public String propertyValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
