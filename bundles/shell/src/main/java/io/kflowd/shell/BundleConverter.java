package io.kflowd.shell;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Lets the standard commands take a bundle as its id or symbolic name ({@code stop 14},
 * {@code update kflowd-format-json}). Gogo's shell bundle brings such a converter, but the
 * console of a headless service runs without it (the shell would read stdin).
 */
@Component(property = Converter.CONVERTER_CLASSES + "=org.osgi.framework.Bundle")
public final class BundleConverter implements Converter {

    private final BundleContext context;

    @Activate
    public BundleConverter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType != Bundle.class || in == null) {
            return null;
        }
        if (in instanceof Number number) {
            return context.getBundle(number.longValue());
        }
        String text = in.toString().trim();
        try {
            return context.getBundle(Long.parseLong(text));
        } catch (NumberFormatException e) {
            for (Bundle bundle : context.getBundles()) {
                if (text.equals(bundle.getSymbolicName())) {
                    return bundle;
                }
            }
            return null;
        }
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return null; // Gogo's own formatting stays as it is
    }
}
