package io.kflowd.api;

/** File event kinds, in the order the {@code FileEvents} object lists them (spec 3.4). */
public enum FileEvent {
    CREATE, OPEN, OPEN_EXEC, ACCESS, ATTRIB, MODIFY, CLOSE_WRITE, CLOSE_NOWRITE, MOVED_FROM, MOVED_TO, DELETE
}
