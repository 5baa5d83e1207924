package io.kflowd.shell;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the console socket (PID {@code io.kflowd.console}). */
@ObjectClassDefinition(name = "kflowd console", description = "The root-only UNIX socket that kflowd --attach connects to")
@interface ConsoleConfig {
    @AttributeDefinition(name = "Socket path", description = "Path of the console socket; created with mode 0600")
    String path() default "/run/kflowd/console.sock";
}
