package dev.glidepath.strategy;

import dev.glidepath.api.v1alpha1.AdoptionStatus;
import dev.glidepath.status.Conditions;
import java.time.Duration;
import java.util.Optional;

/**
 * Adopting an application that runs as a plain Deployment (spec.adopt), with zero downtime. The Release's first
 * revision comes up next to the running Deployment while the existing Service keeps selecting the old pods;
 * once the revision is fully available the Service is taken over (its selector then covers the Release's pods);
 * then the old Deployment goes down as far as the Release's available pods allow, never below what was running
 * (or spec.replicas when that is lower), and stays at zero, not deleted. Someone scaling it up again afterwards
 * (a GitOps sync of its old manifest) is reported, not fought.
 */
final class Adoption {
    static final String CONDITION = "AdoptedDeploymentScaledUp";
    /** The adopted Deployment is not watched: while it goes down, it is looked at again this often. */
    static final Duration RETIRE_RECHECK = Duration.ofSeconds(5);

    private Adoption() {
    }

    static void settle(Situation s) {
        if (s.spec.adopt == null || s.observed.adoptee().isEmpty() && s.status.adoption == null) {
            return;
        }
        AdoptionStatus record = s.status.adoption;
        Optional<ObservedState.ObservedAdoptee> adoptee = s.observed.adoptee();
        if (record == null || !s.spec.adopt.deployment.equals(record.deployment)) {
            if (adoptee.isEmpty()) {
                return;
            }
            ObservedState.ObservedAdoptee a = adoptee.get();
            record = new AdoptionStatus();
            record.deployment = a.name();
            record.replicasBefore = a.availableReplicas();
            record.startedAt = Timestamps.format(s.now);
            s.status.adoption = record;
            s.plan.note(EventReason.ADOPTION_STARTED, "adopting Deployment " + a.name() + " (" + a.availableReplicas()
                    + " pods available)" + (a.serviceToTakeOver() ? " and Service " + s.spec.service.name : ""));
        }
        if (record.finishedAt != null || adoptee.isEmpty()) {
            return;
        }
        ObservedState.ObservedAdoptee a = adoptee.get();
        Integer serving = s.stable != null ? s.stable : s.target;
        int available = s.observed.available(serving);
        if (a.serviceToTakeOver()) {
            if (available >= Math.max(1, s.replicas)) {
                s.plan.takeOverService = true;
                record.serviceTakenAt = Timestamps.format(s.now);
                s.plan.note(EventReason.SERVICE_TAKEN_OVER, "Service " + s.spec.service.name + " taken over: it now selects revision "
                        + serving + " (" + available + " pods available)");
            } else {
                // Until then the Service stays as it is: the old pods keep serving.
                s.plan.stableRoute = null;
            }
            return;
        }
        int keep = Math.max(0, Math.min(record.replicasBefore, s.replicas) - available);
        if (keep < a.specReplicas()) {
            s.plan.adopteeReplicas = keep;
        }
        if (a.specReplicas() == 0 && a.availableReplicas() == 0) {
            record.finishedAt = Timestamps.format(s.now);
            s.plan.note(EventReason.ADOPTED, "Deployment " + a.name() + " is at 0 replicas (kept, not deleted); revision " + serving
                    + " serves the application" + (record.serviceTakenAt != null ? " behind Service " + s.spec.service.name : ""));
        } else {
            s.plan.wakeWithin(RETIRE_RECHECK);
        }
    }

    /**
     * After the adoption: the adopted Deployment scaled up again is said in a condition (and an Event when it
     * starts), not scaled down again.
     */
    static void report(Situation s) {
        AdoptionStatus record = s.status.adoption;
        if (record == null || record.finishedAt == null) {
            // Nothing adopted yet, hence nothing to report (the condition only follows a finished adoption).
            return;
        }
        Conditions c = new Conditions(s.status.conditions, s.now, s.in.generation());
        Optional<ObservedState.ObservedAdoptee> scaledUp = s.observed.adoptee()
                .filter(a -> a.specReplicas() > 0);
        if (scaledUp.isPresent()) {
            ObservedState.ObservedAdoptee a = scaledUp.get();
            String message = "Deployment " + a.name() + " was adopted and scaled to 0, and is now at " + a.specReplicas()
                    + " replicas again (a GitOps sync of its old manifest?); Glidepath leaves it: remove it from Git, then"
                    + " delete it or scale it to 0";
            if (!c.isTrue(CONDITION)) {
                s.plan.warn(EventReason.ADOPTED_DEPLOYMENT_SCALED_UP, message);
            }
            c.set(CONDITION, true, "ScaledUpAgain", message);
        } else if (c.find(CONDITION).isPresent()) {
            c.set(CONDITION, false, "AtZero", "the adopted Deployment is at 0 replicas or gone");
        }
        s.status.conditions = c.toList();
    }
}
