package io.kflowd.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Writes configurations into the framework's ConfigurationAdmin. The launcher lives outside
 * the framework and must not share the cm API package with it (ConfigAdmin exports its own),
 * so it calls the interface reflectively, through the class the service's bundle sees.
 */
final class ConfigPublisher {

    private static final String CONFIGURATION_ADMIN = "org.osgi.service.cm.ConfigurationAdmin";

    private final Object configurationAdmin;
    private final Method getConfiguration;
    private final Method update;

    private ConfigPublisher(Object configurationAdmin, Method getConfiguration, Method update) {
        this.configurationAdmin = configurationAdmin;
        this.getConfiguration = getConfiguration;
        this.update = update;
    }

    /** Null when no ConfigurationAdmin service is registered (yet). */
    static ConfigPublisher find(BundleContext context) throws ReflectiveOperationException {
        ServiceReference<?> reference = context.getServiceReference(CONFIGURATION_ADMIN);
        if (reference == null) {
            return null;
        }
        Object service = context.getService(reference);
        Class<?> api = reference.getBundle().loadClass(CONFIGURATION_ADMIN);
        Method getConfiguration = api.getMethod("getConfiguration", String.class, String.class);
        Class<?> configurationType = getConfiguration.getReturnType();
        Method update = configurationType.getMethod("update", Dictionary.class);
        return new ConfigPublisher(service, getConfiguration, update);
    }

    /** Creates or replaces the configuration {@code pid}, bound to whichever bundle uses it. */
    void publish(String pid, Map<String, Object> properties) throws ReflectiveOperationException {
        Object configuration = getConfiguration.invoke(configurationAdmin, pid, "?");
        try {
            update.invoke(configuration, new Hashtable<>(properties));
        } catch (InvocationTargetException e) {
            throw new ReflectiveOperationException("cannot store configuration " + pid + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
