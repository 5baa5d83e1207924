package io.kflowd.api;

import java.util.Objects;

/**
 * The Proc block of every record (spec 3.3, 8.1).
 *
 * @param parent    basename of the parent's executable, "" if none
 * @param name      process name (executable basename and thread name, spec 8.1)
 * @param version   package version of the executable; null unless -v (then the key is omitted)
 * @param user      user name of {@code uid}, "" if unknown
 * @param group     group name of {@code gid}, "" if unknown
 * @param ppid      thread-group id of the real parent
 * @param pid       thread-group id
 * @param tid       thread id
 * @param uid       real uid
 * @param gid       real gid
 * @param ageNanos  process age at the capture instant, nanoseconds
 */
public record Proc(String parent, String name, String version, String user, String group,
        long ppid, long pid, long tid, long uid, long gid, long ageNanos) {

    public Proc {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
    }

    /** This Proc block with {@code ProcVersion} set ({@code null}: the key is absent). */
    public Proc withVersion(String packageVersion) {
        return new Proc(parent, name, packageVersion, user, group, ppid, pid, tid, uid, gid, ageNanos);
    }
}
