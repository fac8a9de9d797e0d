package dev.glidepath.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glidepath.api.v1alpha1.Measurement;
import dev.glidepath.api.v1alpha1.NotificationSpec;
import dev.glidepath.api.v1alpha1.Release;
import dev.glidepath.api.v1alpha1.ReleaseStatus;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import dev.glidepath.api.v1alpha1.RolloutProgress;
import dev.glidepath.api.v1alpha1.RolloutStatus;
import dev.glidepath.strategy.Decision;
import dev.glidepath.strategy.EventReason;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a webhook notice says: the deployment record fields in either format, and under which name each target gets it. */
class NoticeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:04:31Z"), ZoneOffset.UTC);

    /** The Release as the decision found it: rolling out revision 7 from 6 in Rollout shop-7. */
    static Release rollingOut(String type) {
        Release r = new Release();
        r.setMetadata(new ObjectMetaBuilder().withNamespace("prod").withName("shop").build());
        ReleaseStatus s = new ReleaseStatus();
        s.phase = "Progressing";
        s.stableRevision = 6;
        s.currentRevision = 7;
        s.deploymentType = type;
        s.rollout = progress("shop-7", 6, 7);
        r.setStatus(s);
        return r;
    }

    static RolloutProgress progress(String name, Integer from, int to) {
        RolloutProgress p = new RolloutProgress();
        p.name = name;
        p.fromRevision = from;
        p.toRevision = to;
        return p;
    }

    static RevisionRecord revision(int number, String version) {
        RevisionRecord r = new RevisionRecord();
        r.number = number;
        r.version = version;
        return r;
    }

    /** The status the decision reports: revision 7 (version 1.4.2) stable, nothing in flight. */
    static ReleaseStatus healthyOn7(String type) {
        ReleaseStatus s = new ReleaseStatus();
        s.phase = "Healthy";
        s.version = "1.4.2";
        s.stableRevision = 7;
        s.currentRevision = 7;
        s.deploymentType = type;
        s.revisions = List.of(revision(7, "1.4.2"), revision(6, "1.4.1"));
        return s;
    }

    static RolloutStatus ended(String phase, String outcome, String duration) {
        RolloutStatus s = new RolloutStatus();
        s.phase = phase;
        s.startedAt = "2026-03-01T10:00:00.250Z";
        s.finishedAt = "2026-03-01T10:04:30Z";
        s.outcome = outcome;
        s.duration = duration;
        return s;
    }

    /** A decision with only what notices read: the status, the Rollout records written and the notes. */
    static Decision decision(ReleaseStatus status, List<Decision.RolloutWrite> writes, Decision.Note... notes) {
        return new Decision(false, Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Set.of(), writes, Set.of(),
                List.of(notes), status, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }

    static NotificationSpec target(String format, String... events) {
        NotificationSpec t = new NotificationSpec();
        t.name = "team";
        t.secretName = "hook";
        t.format = format;
        t.events = List.of(events);
        return t;
    }

    @Test
    void aNoticeAboutARolloutThatEndedCarriesItsRecordInTheGenericFormat() throws Exception {
        Decision.Note note = new Decision.Note(false, EventReason.ROLLOUT_SUCCEEDED, "shop-7: revision 7 is stable", 6, 7);
        Decision d = decision(healthyOn7("Hotfix"), List.of(new Decision.RolloutWrite("shop-7", Optional.empty(),
                ended("Succeeded", "SUCCESS", "4m30s"))), note);
        Measurement m = new Measurement("2026-03-01T10:04:00Z", 0.002, "Pass", null);
        JsonNode doc = JSON.readTree(Webhooks.payload(target(null), Notice.of("succeeded", rollingOut("Hotfix"), d, note),
                Map.of("error-rate", m), CLOCK));

        assertThat(doc.get("release").asText()).isEqualTo("shop");
        assertThat(doc.get("namespace").asText()).isEqualTo("prod");
        assertThat(doc.get("event").asText()).isEqualTo("succeeded");
        assertThat(doc.get("reason").asText()).isEqualTo("RolloutSucceeded");
        assertThat(doc.get("phase").asText()).isEqualTo("Healthy");
        assertThat(doc.get("deploymentType").asText()).isEqualTo("Hotfix");
        assertThat(doc.get("version").asText()).isEqualTo("1.4.2");
        assertThat(doc.get("fromRevision").asInt()).isEqualTo(6);
        assertThat(doc.get("toRevision").asInt()).isEqualTo(7);
        assertThat(doc.get("stableRevision").asInt()).isEqualTo(7);
        assertThat(doc.get("rollout").asText()).isEqualTo("shop-7");
        assertThat(doc.get("outcome").asText()).isEqualTo("SUCCESS");
        assertThat(doc.get("duration").asText()).isEqualTo("4m30s");
        assertThat(doc.get("measurements").get("error-rate").asDouble()).isEqualTo(0.002);
        assertThat(doc.get("time").asText()).isEqualTo("2026-03-01T10:04:31Z");
    }

    @Test
    void theSlackFormatSaysWhatHappenedThenTheTypeVersionRevisionsOutcomeAndDuration() throws Exception {
        Decision.Note note = new Decision.Note(false, EventReason.ROLLOUT_SUCCEEDED, "shop-7: revision 7 is stable", 6, 7);
        Decision d = decision(healthyOn7("Hotfix"), List.of(new Decision.RolloutWrite("shop-7", Optional.empty(),
                ended("Succeeded", "SUCCESS", "4m30s"))), note);
        String body = Webhooks.payload(target("Slack"), Notice.of("succeeded", rollingOut("Hotfix"), d, note), Map.of(), CLOCK);
        assertThat(JSON.readTree(body).get("text").asText()).isEqualTo("*shop* (prod) succeeded: shop-7: revision 7 is stable\n"
                + "Hotfix · version 1.4.2 · revision 6 → 7 · SUCCESS in 4m30s");
        assertThat(JSON.readTree(body).size()).isEqualTo(1);
    }

    /** The rollout goes on: no outcome yet; the Rollout is the one in flight. */
    @Test
    void aNoticeWhileTheRolloutGoesOnHasNoOutcome() throws Exception {
        Release before = rollingOut(null);
        before.getStatus().rollout = null;
        before.getStatus().phase = "Healthy";
        ReleaseStatus now = healthyOn7("Standard");
        now.phase = "Progressing";
        now.stableRevision = 6;
        now.rollout = progress("shop-7", 6, 7);
        Decision.Note note = new Decision.Note(false, EventReason.ROLLOUT_STARTED, "rolling out revision 7 (1.4.2) from revision 6");
        Notice n = Notice.of("started", before, decision(now, List.of(), note), note);
        JsonNode doc = JSON.readTree(n.json(Map.of(), CLOCK.instant()));
        assertThat(doc.get("deploymentType").asText()).isEqualTo("Standard");
        assertThat(doc.get("rollout").asText()).isEqualTo("shop-7");
        assertThat(doc.get("fromRevision").asInt()).isEqualTo(6);
        assertThat(doc.get("toRevision").asInt()).isEqualTo(7);
        assertThat(doc.has("outcome")).isFalse();
        assertThat(doc.has("duration")).isFalse();
        assertThat(JSON.readTree(n.slack()).get("text").asText()).endsWith("\nStandard · version 1.4.2 · revision 6 → 7");
    }

    /** An operator that does not record the outcome and duration yet: both from the Rollout's phase and times. */
    @Test
    void aRevertedRolloutWithoutARecordedOutcomeIsARollbackTimedFromItsStartAndFinish() throws Exception {
        ReleaseStatus back = healthyOn7(null);
        back.stableRevision = 6;
        back.currentRevision = 7;
        Decision.Note note = new Decision.Note(true, EventReason.ANALYSIS_FAILED, "error-rate 0.42 above max 0.05", 6, 7);
        Decision d = decision(back, List.of(new Decision.RolloutWrite("shop-7", Optional.empty(), ended("RolledBack", null, null))), note);
        Notice n = Notice.of("reverted", rollingOut(null), d, note);
        assertThat(n.outcome()).isEqualTo("ROLLBACK");
        assertThat(n.duration()).isEqualTo("4m30s");
        assertThat(n.deploymentType()).isNull();
        assertThat(JSON.readTree(n.json(Map.of(), CLOCK.instant())).has("deploymentType")).isFalse();
        assertThat(JSON.readTree(n.slack()).get("text").asText()).isEqualTo(":warning: *shop* (prod) reverted: error-rate 0.42 above max 0.05\n"
                + "version 1.4.2 · revision 6 → 7 · ROLLBACK in 4m30s");
        assertThat(Notice.outcome(ended("Aborted", null, null))).isEqualTo("ROLLBACK");
        assertThat(Notice.outcome(ended("Superseded", null, null))).isEqualTo("SUPERSEDED");
        assertThat(Notice.outcome(ended("Succeeded", null, null))).isEqualTo("SUCCESS");
    }

    /** Superseded by revision 8: the old rollout's ending is not the record of the new one's start. */
    @Test
    void theEndingOfASupersededRolloutIsNotPutOnTheNoticeOfTheNextOne() {
        ReleaseStatus now = healthyOn7("Standard");
        now.phase = "Progressing";
        now.rollout = progress("shop-8", 7, 8);
        Decision.Note superseded = new Decision.Note(false, EventReason.ROLLOUT_SUPERSEDED, "rollout to revision 7 superseded by revision 8", 6, 7);
        Decision.Note started = new Decision.Note(false, EventReason.ROLLOUT_STARTED, "rolling out revision 8", 7, 8);
        Decision d = decision(now, List.of(new Decision.RolloutWrite("shop-7", Optional.empty(), ended("Superseded", "SUPERSEDED", "4m30s"))),
                superseded, started);
        Notice next = Notice.of("started", rollingOut("Standard"), d, started);
        assertThat(next.outcome()).isNull();
        assertThat(next.rollout()).isEqualTo("shop-8");
        assertThat(Notice.of("superseded", rollingOut("Standard"), d, superseded).outcome()).isEqualTo("SUPERSEDED");
    }

    @Test
    void eachTargetGetsANoteOnceUnderTheFirstNameItAsksFor() {
        List<String> names = List.of("reverted", "rolledBack");
        assertThat(Webhooks.nameFor(target(null), names)).contains("reverted");
        assertThat(Webhooks.nameFor(target(null, "rolledBack"), names)).contains("rolledBack");
        assertThat(Webhooks.nameFor(target(null, "rolledBack", "reverted"), names)).contains("reverted");
        assertThat(Webhooks.nameFor(target(null, "started"), names)).isEmpty();
        assertThat(Webhooks.nameFor(target(null), List.of())).isEmpty();
    }

    /** completed, rolledBack and scheduled are sent once they are names a Release may ask for, not before. */
    @Test
    void theFurtherNamesOfAnEventAreUsedOnlyOnceAReleaseMayAskForThem() {
        assertThat(Webhooks.namesOf(new Decision.Note(false, EventReason.ROLLOUT_SUCCEEDED, "done")))
                .isEqualTo(allowed("succeeded", "completed"));
        assertThat(Webhooks.namesOf(new Decision.Note(true, EventReason.ANALYSIS_FAILED, "reverted")))
                .isEqualTo(allowed("reverted", "rolledBack"));
        assertThat(Webhooks.namesOf(new Decision.Note(false, EventReason.ROLLED_BACK, "back on 6"))).isEqualTo(allowed("rolledBack"));
        assertThat(Webhooks.namesOf(new Decision.Note(false, EventReason.PHASE_WAITING_FOR_WINDOW, "waiting"))).isEqualTo(allowed("scheduled"));
        assertThat(Webhooks.namesOf(new Decision.Note(false, EventReason.PHASE_HEALTHY, "healthy"))).isEmpty();
    }

    private static List<String> allowed(String... names) {
        return Stream.of(names).filter(EventReason.NOTIFICATIONS::contains).toList();
    }
}
