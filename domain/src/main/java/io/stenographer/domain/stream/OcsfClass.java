package io.stenographer.domain.stream;

import java.util.Locale;
import java.util.Map;

/**
 * The OCSF {@value OcsfFormat#OCSF_VERSION} event classes a sealed event maps to, with their activities. The
 * activity is read from the action's last dotted segment (its verb): {@code case.export} is a Read.
 */
public enum OcsfClass {

    API_ACTIVITY(6003, "API Activity", 6, "Application Activity", Map.ofEntries(
            Map.entry("create", 1), Map.entry("add", 1), Map.entry("insert", 1), Map.entry("import", 1),
            Map.entry("upload", 1),
            Map.entry("view", 2), Map.entry("read", 2), Map.entry("get", 2), Map.entry("list", 2),
            Map.entry("search", 2), Map.entry("query", 2), Map.entry("export", 2), Map.entry("download", 2),
            Map.entry("update", 3), Map.entry("edit", 3), Map.entry("modify", 3), Map.entry("change", 3),
            Map.entry("patch", 3), Map.entry("set", 3),
            Map.entry("delete", 4), Map.entry("remove", 4), Map.entry("purge", 4), Map.entry("destroy", 4)),
            Map.of(1, "Create", 2, "Read", 3, "Update", 4, "Delete")),
    AUTHENTICATION(3002, "Authentication", 3, "Identity & Access Management", Map.of(
            "login", 1, "logon", 1, "signin", 1, "sign-in", 1,
            "logout", 2, "logoff", 2, "signout", 2, "sign-out", 2),
            Map.of(1, "Logon", 2, "Logoff")),
    ACCOUNT_CHANGE(3001, "Account Change", 3, "Identity & Access Management", Map.of(
            "create", 1, "add", 1, "enable", 2, "password-change", 3, "password-reset", 4, "disable", 5,
            "delete", 6, "remove", 6, "lock", 9),
            Map.of(1, "Create", 2, "Enable", 3, "Password Change", 4, "Password Reset", 5, "Disable", 6, "Delete",
                    9, "Lock"));

    /** OCSF's activity for anything else. */
    public static final int OTHER = 99;

    private final int classUid;
    private final String className;
    private final int categoryUid;
    private final String categoryName;
    private final Map<String, Integer> verbs;
    private final Map<Integer, String> activityNames;

    OcsfClass(int classUid, String className, int categoryUid, String categoryName, Map<String, Integer> verbs,
            Map<Integer, String> activityNames) {
        this.classUid = classUid;
        this.className = className;
        this.categoryUid = categoryUid;
        this.categoryName = categoryName;
        this.verbs = verbs;
        this.activityNames = activityNames;
    }

    public int classUid() {
        return classUid;
    }

    public String className() {
        return className;
    }

    public int categoryUid() {
        return categoryUid;
    }

    public String categoryName() {
        return categoryName;
    }

    /** The activity id of an action: its verb's, else {@value #OTHER} (Other). */
    public int activityId(String action) {
        String verb = action.substring(action.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT).replace('_', '-');
        return verbs.getOrDefault(verb, OTHER);
    }

    public String activityName(int activityId) {
        return activityNames.getOrDefault(activityId, "Other");
    }

    /** The class with this uid. */
    public static OcsfClass ofUid(int classUid) {
        for (OcsfClass value : values()) {
            if (value.classUid == classUid) {
                return value;
            }
        }
        throw new IllegalArgumentException("OCSF class " + classUid + " is not one Stenographer maps to; classes are "
                + "6003 (API Activity), 3002 (Authentication) and 3001 (Account Change)");
    }
}
