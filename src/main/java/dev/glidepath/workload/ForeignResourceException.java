package dev.glidepath.workload;

/** An object Glidepath must own already exists and belongs to someone else: the spec field naming it is wrong. */
public final class ForeignResourceException extends RuntimeException {
    private final String field;

    public ForeignResourceException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
