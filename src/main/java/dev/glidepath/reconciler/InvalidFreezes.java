package dev.glidepath.reconciler;

import dev.glidepath.api.v1alpha1.Freeze;
import dev.glidepath.notify.ReleaseEvents;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.EventReason;
import dev.glidepath.workflow.FreezeHold;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says on a Freeze that it is invalid (cannot be read, or a selector the API server would refuse): one Warning
 * Event per version of it, however many Releases it covers.
 */
final class InvalidFreezes {
    /** Enough for every Freeze of a cluster; past it the record starts again (at worst an Event is repeated). */
    private static final int REMEMBERED = 10_000;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    void report(List<FreezeHold> holds, Collection<Freeze> freezes, ReleaseEvents events) {
        for (FreezeHold hold : holds) {
            if (hold.invalid().isEmpty()) {
                continue;
            }
            freezes.stream().filter(f -> hold.namespace().equals(f.getMetadata().getNamespace())
                    && hold.name().equals(f.getMetadata().getName())).findFirst().ifPresent(f -> {
                        if (reported.size() > REMEMBERED) {
                            reported.clear();
                        }
                        if (reported.add(f.getMetadata().getUid() + "/" + f.getMetadata().getResourceVersion())) {
                            events.emit(f, List.of(new Decision.Note(true, EventReason.FREEZE_INVALID, hold.invalid().get()
                                    + "; it holds the Releases it may cover until fixed or deleted")));
                        }
                    });
        }
    }
}
