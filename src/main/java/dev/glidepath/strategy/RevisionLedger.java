package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.MigrationState;
import dev.glidepath.api.v1alpha1.RevisionOutcome;
import dev.glidepath.api.v1alpha1.RevisionRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The Release's known revisions: numbering, outcomes and the bounded list shown in status. */
final class RevisionLedger {
    private final List<RevisionRecord> records;

    RevisionLedger(List<RevisionRecord> previous, ObservedState observed) {
        this.records = new ArrayList<>();
        if (previous != null) {
            for (RevisionRecord r : previous) {
                records.add(copy(r));
            }
        }
        for (ObservedState.ObservedRevision rev : observed.revisions().values()) {
            if (find(rev.number()).isEmpty()) {
                RevisionRecord r = new RevisionRecord();
                r.number = rev.number();
                r.templateHash = rev.templateHash();
                r.version = rev.version();
                r.images = rev.images();
                r.created = rev.created();
                records.add(r);
            }
        }
    }

    /**
     * The revision number of the template: the one already known for its hash, or the next number never given
     * ({@code highest}: the highest given so far). A number is never given to a second template, so an Approval of
     * revision 6 can never start another template numbered 6.
     */
    int numberFor(TemplateIdentity template, ObservedState observed, Instant now, Integer highest) {
        Optional<Integer> known = observed.revisions().values().stream()
                .filter(r -> template.hash().equals(r.templateHash()))
                .map(ObservedState.ObservedRevision::number)
                .findFirst()
                .or(() -> records.stream().filter(r -> template.hash().equals(r.templateHash))
                        .map(r -> r.number).findFirst());
        int number = known.orElseGet(() -> 1 + Math.max(highest == null ? 0 : highest, Math.max(
                observed.revisions().keySet().stream().mapToInt(Integer::intValue).max().orElse(0),
                records.stream().mapToInt(r -> r.number == null ? 0 : r.number).max().orElse(0))));
        if (find(number).isEmpty()) {
            RevisionRecord r = new RevisionRecord();
            r.number = number;
            r.templateHash = template.hash();
            r.version = template.version();
            r.images = template.images();
            r.created = now.toString();
            records.add(r);
        }
        return number;
    }

    Optional<RevisionRecord> find(Integer number) {
        return records.stream().filter(r -> r.number != null && r.number.equals(number)).findFirst();
    }

    Optional<RevisionOutcome> outcome(Integer number) {
        return find(number).flatMap(r -> RevisionOutcome.of(r.outcome));
    }

    boolean is(Integer number, RevisionOutcome outcome) {
        return outcome(number).filter(outcome::equals).isPresent();
    }

    /** Records how a revision stands; {@code null} clears it (a retry). */
    void mark(Integer number, RevisionOutcome outcome, String reason) {
        find(number).ifPresent(r -> {
            r.outcome = outcome == null ? null : outcome.wire();
            r.reason = reason;
        });
    }

    void migration(Integer number, MigrationState state) {
        find(number).ifPresent(r -> r.migration = state.wire());
    }

    Optional<MigrationState> migration(Integer number) {
        return find(number).flatMap(r -> MigrationState.of(r.migration));
    }

    /** A revision that failed, was aborted or rolled back is not rolled out again until retried. */
    boolean blocked(Integer number) {
        return outcome(number).map(RevisionOutcome::blocked).orElse(false);
    }

    /** Keeps the records of revisions that still exist or are in use, newest first. */
    List<RevisionRecord> retained(Set<Integer> existing, Set<Integer> inUse) {
        return records.stream()
                .filter(r -> r.number != null && (existing.contains(r.number) || inUse.contains(r.number)))
                .sorted(Comparator.comparing((RevisionRecord r) -> r.number).reversed())
                .toList();
    }

    private static RevisionRecord copy(RevisionRecord r) {
        RevisionRecord c = new RevisionRecord();
        c.number = r.number;
        c.templateHash = r.templateHash;
        c.version = r.version;
        c.images = r.images;
        c.created = r.created;
        c.outcome = r.outcome;
        c.migration = r.migration;
        c.reason = r.reason;
        return c;
    }
}
