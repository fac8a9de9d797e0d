package dev.glidepath.workload;

import dev.glidepath.api.v1alpha1.Release;

/** Labels and annotations Glidepath puts on what it creates. Metric queries use the pod labels. */
public final class Labels {
    public static final String RELEASE = Release.LABEL;
    public static final String REVISION = "glidepath.dev/revision";
    public static final String VERSION = "glidepath.dev/version";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "glidepath";
    public static final String TEMPLATE_HASH = "glidepath.dev/template-hash";
    public static final String STABLE_REVISION = "glidepath.dev/stable-revision";
    public static final String IMAGES = "glidepath.dev/images";
    public static final String CREATED = "glidepath.dev/created";
    public static final String ROLLOUT_SEQUENCE = "glidepath.dev/sequence";
    /** On a Deployment a Release adopted: the Release's name. */
    public static final String ADOPTED_BY = "glidepath.dev/adopted-by";
    /** Selects everything Glidepath owns, for the informers. */
    public static final String OWNED_SELECTOR = RELEASE;

    private Labels() {
    }

    /** A label value (at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric). */
    public static String labelValue(String text) {
        if (text == null) {
            return "";
        }
        String v = text.replaceAll("[^A-Za-z0-9._-]", "_");
        if (v.length() > 63) {
            v = v.substring(0, 63);
        }
        v = v.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
        return v;
    }

    /** Deployment name of a revision: the Release's name and the template hash. */
    public static String deploymentName(String release, String templateHash) {
        String base = release.length() > 52 ? release.substring(0, 52) : release;
        return base + "-" + templateHash;
    }
}
