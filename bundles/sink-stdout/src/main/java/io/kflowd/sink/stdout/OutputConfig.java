package io.kflowd.sink.stdout;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** What the command line says about output (PID {@code io.kflowd.output}). */
@ObjectClassDefinition(name = "kflowd output", description = "Output format (-o) and whether records go to stdout")
@interface OutputConfig {

    @AttributeDefinition(name = "Format",
            description = "The -o format: json (pretty, RFC 7464 framed), json-min (NDJSON) or table; "
                    + "a plugin may add more")
    String format() default "json";

    @AttributeDefinition(name = "To stdout", description = "False with -q, -d and --shell: nothing goes to stdout")
    boolean stdout() default true;
}
