package io.kflowd.format.ocsf;

/** The OCSF 1.3.0 identifiers this bundle uses: classes, categories and shared enums. */
final class Ocsf {

    static final String VERSION = "1.3.0";

    static final int CATEGORY_SYSTEM = 1;
    static final int CATEGORY_NETWORK = 4;
    static final int FILE_ACTIVITY = 1001;
    static final int NETWORK_ACTIVITY = 4001;
    static final int HTTP_ACTIVITY = 4002;
    static final int DNS_ACTIVITY = 4003;

    static final int SEVERITY_INFORMATIONAL = 1;

    static final int STATUS_UNKNOWN = 0;
    static final int STATUS_SUCCESS = 1;
    static final int STATUS_FAILURE = 2;

    private Ocsf() {
    }

    static String categoryName(int categoryUid) {
        return categoryUid == CATEGORY_SYSTEM ? "System Activity" : "Network Activity";
    }

    static String className(int classUid) {
        return switch (classUid) {
            case FILE_ACTIVITY -> "File System Activity";
            case NETWORK_ACTIVITY -> "Network Activity";
            case HTTP_ACTIVITY -> "HTTP Activity";
            case DNS_ACTIVITY -> "DNS Activity";
            default -> throw new IllegalArgumentException("class " + classUid);
        };
    }

    static String statusName(int statusId) {
        return switch (statusId) {
            case STATUS_SUCCESS -> "Success";
            case STATUS_FAILURE -> "Failure";
            default -> "Unknown";
        };
    }

    /**
     * The caption of an activity of a class (OCSF 1.3.0 enums); {@code null} for ids the
     * class does not define.
     */
    static String activityCaption(int classUid, int activityId) {
        if (activityId == 0) {
            return "Unknown";
        }
        if (activityId == 99) {
            return "Other";
        }
        String[] captions = switch (classUid) {
            case FILE_ACTIVITY -> new String[] {null, "Create", "Read", "Update", "Delete", "Rename",
                "Set Attributes", "Set Security", "Get Attributes", "Get Security", "Encrypt", "Decrypt", "Mount",
                "Unmount", "Open"};
            case NETWORK_ACTIVITY -> new String[] {null, "Open", "Close", "Reset", "Fail", "Refuse", "Traffic",
                "Listen"};
            case HTTP_ACTIVITY -> new String[] {null, "Connect", "Delete", "Get", "Head", "Options", "Post", "Put",
                "Trace"};
            case DNS_ACTIVITY -> new String[] {null, "Query", "Response", null, null, null, "Traffic"};
            default -> new String[0];
        };
        return activityId < captions.length ? captions[activityId] : null;
    }
}
