package dev.glidepath.workload;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Tells the informer caches about writes Glidepath just made, so that the next reconcile reads its own
 * writes instead of acting again on a stale copy.
 */
public interface WrittenResources {
    WrittenResources NONE = new WrittenResources() {
        @Override
        public void created(HasMetadata resource) {
        }

        @Override
        public void updated(HasMetadata before, HasMetadata after) {
        }
    };

    void created(HasMetadata resource);

    void updated(HasMetadata before, HasMetadata after);
}
