package dev.glidepath.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Optional;

/**
 * A spec or status read by {@link TolerantDeserializer}: when a value in it cannot be held by its Java type,
 * the object is empty and says which field could not be read, instead of failing the informer that serves
 * every Release.
 */
public abstract class MaybeUnreadable {
    @JsonIgnore
    private String unreadable;

    /** Why this object could not be read (field and problem), or empty when it was read in full. */
    public Optional<String> unreadable() {
        return Optional.ofNullable(unreadable);
    }

    void markUnreadable(String problem) {
        this.unreadable = problem;
    }
}
