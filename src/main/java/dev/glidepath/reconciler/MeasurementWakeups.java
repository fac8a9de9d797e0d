package dev.glidepath.reconciler;

import dev.glidepath.analysis.MeasurementSource;
import dev.glidepath.api.v1alpha1.Release;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Set;

/**
 * Wakes a Release when the round of measurements it waits for has been taken off the reconcile thread, and
 * lets the measurement source drop what it holds for a Release that is deleted. It holds no resources.
 */
final class MeasurementWakeups extends AbstractEventSource<Void, Release> implements ResourceEventAware<Release> {
    private final MeasurementSource measurements;

    MeasurementWakeups(MeasurementSource measurements) {
        super(Void.class, "measurements");
        this.measurements = measurements;
    }

    /** What the source runs when the Release's round is in: a reconcile of that Release. */
    Runnable wake(Release release) {
        ResourceID id = ResourceID.fromResource(release);
        return () -> {
            if (isRunning()) {
                getEventHandler().handleEvent(new Event(id));
            }
        };
    }

    @Override
    public Set<Void> getSecondaryResources(Release primary) {
        return Set.of();
    }

    @Override
    public void onResourceDeleted(Release release) {
        measurements.forget(release);
    }
}
