package dev.glidepath.reconciler;

/**
 * Where Freezes that cover every namespace live: the operator's own namespace
 * ({@code glidepath.freezes.global-namespace}, from the pod's namespace in the Helm chart).
 */
public record FreezeScope(String globalNamespace) {
    public static final String PROPERTY = "glidepath.freezes.global-namespace";
}
