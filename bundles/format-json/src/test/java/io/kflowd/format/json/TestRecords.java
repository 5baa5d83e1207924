package io.kflowd.format.json;

import io.kflowd.api.FileEvent;
import io.kflowd.api.FileRecord;
import io.kflowd.api.Info;
import io.kflowd.api.Proc;
import io.kflowd.api.RecordFormatter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** A filesystem record with every field settable; the defaults are the golden record. */
final class TestRecords {

    long sequenceNumber = 1;
    Instant timestamp = Instant.parse("2024-04-04T15:34:35.643031330Z");
    String hostName = "srv01";
    String hostIp = "192.168.1.10";
    String hostToken;
    String system = "Linux";
    String kernel = "6.1.0-18-amd64";
    String infoVersion = "kflowd-v0.9.11";
    long uptimeNanos = 21_262_713_426L;

    String procParent = "bash";
    String procName = "vi";
    String procVersion;
    String procUser = "dirk";
    String procGroup = "users";
    long ppid = 4711;
    long pid = 4712;
    long tid = 4713;
    long procUid = 1000;
    long procGid = 100;
    long procAgeNanos = 5_811_829_334L;

    String path = "/home/dirk/";
    String name = "notes.txt";
    String origin;
    String fileVersion;
    String mode = "regular";
    Map<FileEvent, Integer> events = new EnumMap<>(Map.of(
            FileEvent.OPEN, 1, FileEvent.MODIFY, 2, FileEvent.CLOSE_WRITE, 1));
    long eventsDurationNanos = 43_571L;
    long inode = 1_234_567;
    long linkCount = 1;
    String device = "902h:/dev/md2:/home:ext4";
    int permissions = 0100644;
    String fileUser = "dirk";
    String fileGroup = "users";
    long fileUid = 1000;
    long fileGid = 100;
    long size = 4096;
    long sizeChange = 1024;
    Instant accessTime = Instant.parse("2024-04-04T15:34:35.611000001Z");
    Instant statusChangeTime = Instant.parse("2024-04-04T15:34:35.642993872Z");
    Instant modificationTime = Instant.parse("2024-04-04T15:34:35.642993872Z");
    long modificationTimeChangeNanos = 2_031_872_871L;
    String md5;
    String sha256;

    FileRecord build() {
        Info info = new Info(sequenceNumber, timestamp, Info.Monitor.FILESYSTEM, hostName, hostIp, hostToken, system,
                kernel, infoVersion, uptimeNanos);
        Proc proc = new Proc(procParent, procName, procVersion, procUser, procGroup, ppid, pid, tid, procUid, procGid,
                procAgeNanos);
        return new FileRecord(info, proc, path, name, origin, version(), mode, events, eventsDurationNanos, inode,
                linkCount, device, permissions, fileUser, fileGroup, fileUid, fileGid, size, sizeChange, accessTime,
                statusChangeTime, modificationTime, modificationTimeChangeNanos, md5, sha256);
    }

    private String version() {
        return fileVersion;
    }

    /** Every optional key present. */
    TestRecords withAllOptionals() {
        hostToken = "web-tier-7";
        procVersion = "2:9.0.1378-2";
        origin = "notes.tmp";
        fileVersion = "";
        events = new EnumMap<>(Map.of(FileEvent.MOVED_FROM, 1, FileEvent.MOVED_TO, 1));
        permissions = 0100755;
        md5 = "d41d8cd98f00b204e9800998ecf8427e";
        sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        return this;
    }

    /** Every optional key absent. */
    TestRecords withoutOptionals() {
        hostToken = null;
        procVersion = null;
        origin = null;
        fileVersion = null;
        sizeChange = 0;
        modificationTimeChangeNanos = 0;
        md5 = null;
        sha256 = null;
        return this;
    }

    static String format(RecordFormatter formatter, io.kflowd.api.MonitorRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            formatter.format(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
