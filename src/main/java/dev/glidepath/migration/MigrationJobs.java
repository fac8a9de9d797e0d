package dev.glidepath.migration;

/** Names of a Release's migration Jobs: deterministic, one per revision and kind, so none runs twice. */
public final class MigrationJobs {
    public static final String UP = "migrate";
    public static final String DOWN = "migrate-down";
    public static final String POST = "migrate-post";
    public static final String VERIFY = "verify";

    private MigrationJobs() {
    }

    public static String name(String release, int revision, String kind) {
        String base = release.length() > 40 ? release.substring(0, 40) : release;
        return base + "-r" + revision + "-" + kind;
    }
}
