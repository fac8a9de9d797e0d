package dev.glidepath.sandbox;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;

/**
 * The one place where tests wait for the sandbox to get somewhere. The bound is generous on purpose: it only
 * matters when something is wrong, and a busy 2-core machine must never miss a state that comes. Tests whose
 * point is how fast something happens state their own bound instead.
 */
public final class Eventually {
    /** How long a state the sandbox will reach may take on a loaded machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(50);

    private Eventually() {
    }

    public static ConditionFactory waiting() {
        return Awaitility.await().atMost(PATIENCE).pollInterval(POLL);
    }

    public static void until(Callable<Boolean> condition) {
        waiting().until(condition);
    }

    public static void untilAsserted(ThrowingRunnable assertion) {
        waiting().untilAsserted(assertion);
    }
}
