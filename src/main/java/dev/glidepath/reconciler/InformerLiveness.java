package dev.glidepath.reconciler;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: an informer that ran and stopped (its watch gave up) never comes back by itself, and a pod whose
 * informers stopped reconciles nothing while still answering. Reported down then, so the kubelet restarts
 * it. Informers that never ran (a standby replica waiting for the leader Lease) do not count.
 */
@Liveness
@ApplicationScoped
public class InformerLiveness implements HealthCheck {
    static final String NAME = "glidepath-informers";

    private final Operator operator;
    private final Set<String> seenRunning = ConcurrentHashMap.newKeySet();

    @Inject
    public InformerLiveness(Operator operator) {
        this.operator = operator;
    }

    @Override
    public HealthCheckResponse call() {
        Set<String> stopped = stopped(informers(), seenRunning);
        return HealthCheckResponse.named(NAME)
                .status(stopped.isEmpty())
                .withData("stopped", String.join(", ", stopped))
                .build();
    }

    private Map<String, InformerHealthIndicator> informers() {
        Map<String, InformerHealthIndicator> all = new HashMap<>();
        for (var controller : operator.getRuntimeInfo().getRegisteredControllers()) {
            Map<String, InformerWrappingEventSourceHealthIndicator> sources =
                    controller.getControllerHealthInfo().informerEventSourceHealthIndicators();
            sources.forEach((source, indicator) -> {
                Map<String, InformerHealthIndicator> byNamespace = indicator.informerHealthIndicators();
                byNamespace.forEach((namespace, informer) ->
                        all.put(controller.getConfiguration().getName() + "/" + source + "/" + namespace, informer));
            });
        }
        return all;
    }

    /**
     * The informers that had been running (seen running before, or synced) and are not running now; records
     * those running now in {@code seenRunning}.
     */
    static Set<String> stopped(Map<String, InformerHealthIndicator> informers, Set<String> seenRunning) {
        Set<String> stopped = new TreeSet<>();
        informers.forEach((name, informer) -> {
            if (informer.isRunning()) {
                seenRunning.add(name);
            } else if (seenRunning.contains(name) || informer.hasSynced()) {
                stopped.add(name);
            }
        });
        return stopped;
    }
}
