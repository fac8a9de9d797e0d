package dev.glidepath.strategy;

/** One way of moving traffic from one revision to another; each reconcile advances it as far as it can. */
interface Progression {
    RolloutRun.Result advance(RolloutRun run);
}
