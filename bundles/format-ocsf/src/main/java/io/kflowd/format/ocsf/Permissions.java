package io.kflowd.format.ocsf;

/** st_mode as kflowd's {@code FilePermissions} text and as OCSF's file type. */
final class Permissions {

    private Permissions() {
    }

    /** OCSF 1.3.0 file type_id from the st_mode type bits; without them, from kflowd's FileMode. */
    static int fileTypeId(int mode, String fileMode) {
        return switch (mode & 0170000) {
            case 0100000 -> 1; // Regular File
            case 0040000 -> 2; // Folder
            case 0020000 -> 3; // Character Device
            case 0060000 -> 4; // Block Device
            case 0140000 -> 5; // Local Socket
            case 0010000 -> 6; // Named Pipe
            case 0120000 -> 7; // Symbolic Link
            case 0 -> "symlink".equals(fileMode) ? 7 : 1;
            default -> 99;
        };
    }

    static String fileTypeCaption(int typeId) {
        return switch (typeId) {
            case 1 -> "Regular File";
            case 2 -> "Folder";
            case 3 -> "Character Device";
            case 4 -> "Block Device";
            case 5 -> "Local Socket";
            case 6 -> "Named Pipe";
            case 7 -> "Symbolic Link";
            case 99 -> "Other";
            default -> "Unknown";
        };
    }

    /** {@code "0755/-rwxr-xr-x"}, as the json formatter writes FilePermissions (ls(1) letters). */
    static String text(int mode) {
        char[] buf = new char[15];
        buf[0] = (char) ('0' + (mode >> 9 & 7));
        buf[1] = (char) ('0' + (mode >> 6 & 7));
        buf[2] = (char) ('0' + (mode >> 3 & 7));
        buf[3] = (char) ('0' + (mode & 7));
        buf[4] = '/';
        buf[5] = switch (mode & 0170000) {
            case 0100000, 0 -> '-';
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            case 0060000 -> 'b';
            case 0010000 -> 'p';
            case 0140000 -> 's';
            default -> '?';
        };
        triad(mode >> 6, (mode & 04000) != 0, 's', buf, 6);
        triad(mode >> 3, (mode & 02000) != 0, 's', buf, 9);
        triad(mode, (mode & 01000) != 0, 't', buf, 12);
        return new String(buf);
    }

    private static void triad(int bits, boolean special, char letter, char[] buf, int pos) {
        buf[pos] = (bits & 4) != 0 ? 'r' : '-';
        buf[pos + 1] = (bits & 2) != 0 ? 'w' : '-';
        boolean execute = (bits & 1) != 0;
        buf[pos + 2] = special ? (execute ? letter : Character.toUpperCase(letter)) : (execute ? 'x' : '-');
    }
}
