/**
 * The kflowd plugin API: what the core offers to the console and to plugins, and what
 * decoders, formatters, sinks and enrichers implement. Depends on nothing but the JDK.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.5.0")
package io.kflowd.api;
