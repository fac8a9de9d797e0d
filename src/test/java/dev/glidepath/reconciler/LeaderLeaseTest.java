package dev.glidepath.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.sandbox.Sandbox;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaderLeaseTest {
    static final String NS = "glidepath-system";

    static Sandbox sandbox;
    final AtomicBoolean stopping = new AtomicBoolean();
    final AtomicInteger exits = new AtomicInteger();

    @BeforeAll
    static void start() {
        sandbox = Sandbox.start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @BeforeEach
    void noLease() {
        sandbox.client().leases().inNamespace(NS).withName(LeaderElection.LEASE_NAME).delete();
    }

    LeaderLease lease(String identity) {
        return new LeaderLease(sandbox.client(), NS, LeaderElection.LEASE_NAME, identity, stopping::get, exits::incrementAndGet);
    }

    @Test
    void stoppingGivesTheLeaseBackAndDoesNotExit() {
        held("replica-a");
        stopping.set(true);
        lease("replica-a").stoppedLeading();
        assertThat(stored().getSpec().getHolderIdentity()).isEmpty();
        assertThat(stored().getSpec().getLeaseDurationSeconds()).isEqualTo(1);
        assertThat(stored().getSpec().getLeaseTransitions()).as("kept").isEqualTo(3);
        assertThat(exits).hasValue(0);
    }

    @Test
    void aRenewalThatLandsFirstIsReadAgain() {
        held("replica-a");
        stopping.set(true);
        sandbox.dispatcher().failNext("PATCH", "/leases/", 409);
        lease("replica-a").stoppedLeading();
        assertThat(stored().getSpec().getHolderIdentity()).isEmpty();
    }

    @Test
    void stoppingLeavesALeaseSomeoneElseHoldsAlone() {
        held("replica-b");
        stopping.set(true);
        lease("replica-a").stoppedLeading();
        assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("replica-b");
        assertThat(exits).hasValue(0);
    }

    @Test
    void stoppingWithoutALeaseDoesNothing() {
        stopping.set(true);
        lease("replica-a").stoppedLeading();
        assertThat(stored()).isNull();
        assertThat(exits).hasValue(0);
    }

    @Test
    void losingTheLeaseWhileRunningExitsAndTouchesNothing() {
        held("replica-b");
        String before = stored().getMetadata().getResourceVersion();
        lease("replica-a").stoppedLeading();
        assertThat(exits).hasValue(1);
        assertThat(stored().getMetadata().getResourceVersion()).isEqualTo(before);
    }

    void held(String holder) {
        sandbox.client().leases().inNamespace(NS).resource(new LeaseBuilder()
                .withNewMetadata().withName(LeaderElection.LEASE_NAME).withNamespace(NS).endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withLeaseTransitions(3)
                .withAcquireTime(ZonedDateTime.now()).withRenewTime(ZonedDateTime.now()).endSpec()
                .build()).create();
    }

    Lease stored() {
        return sandbox.client().leases().inNamespace(NS).withName(LeaderElection.LEASE_NAME).get();
    }
}
