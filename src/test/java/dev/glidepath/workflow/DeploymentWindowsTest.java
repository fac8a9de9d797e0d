package dev.glidepath.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.DeploymentWindow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentWindowsTest {

    static DeploymentWindow window(String zone, String start, String end, String... days) {
        DeploymentWindow w = new DeploymentWindow();
        w.days = List.of(days);
        w.start = start;
        w.end = end;
        w.timeZone = zone;
        return w;
    }

    static boolean open(DeploymentWindow w, String instant) {
        return DeploymentWindows.open(List.of(w), Instant.parse(instant));
    }

    @Test
    void opensAtStartAndClosesAtEndExactly() {
        var w = window("UTC", "09:00", "17:00", "Mon", "Tue", "Wed", "Thu", "Fri");
        // 2026-11-23 is a Monday.
        assertThat(open(w, "2026-11-23T08:59:59Z")).isFalse();
        assertThat(open(w, "2026-11-23T09:00:00Z")).isTrue();
        assertThat(open(w, "2026-11-23T16:59:59Z")).isTrue();
        assertThat(open(w, "2026-11-23T17:00:00Z")).isFalse();
        assertThat(open(w, "2026-11-22T12:00:00Z")).as("Sunday").isFalse();
        assertThat(DeploymentWindows.open(List.of(), Instant.parse("2026-11-22T12:00:00Z"))).as("no windows: any time").isTrue();
    }

    @Test
    void followsTheWindowsTimeZone() {
        var w = window("America/New_York", "09:00", "17:00", "Mon");
        // 09:00 in New York on Monday 2026-11-23 (EST, UTC-5) is 14:00 UTC.
        assertThat(open(w, "2026-11-23T13:59:00Z")).isFalse();
        assertThat(open(w, "2026-11-23T14:00:00Z")).isTrue();
        // Monday evening in New York is already Tuesday in UTC.
        assertThat(open(w, "2026-11-23T21:59:00Z")).isTrue();
        assertThat(open(w, "2026-11-23T22:00:00Z")).isFalse();
    }

    @Test
    void followsDaylightSavingChanges() {
        var w = window("Europe/Berlin", "09:00", "10:00", "Fri", "Mon");
        // Friday 2026-03-27 is CET (UTC+1): 09:00 local = 08:00 UTC. Monday 2026-03-30 is CEST (UTC+2): 07:00 UTC.
        assertThat(open(w, "2026-03-27T08:00:00Z")).isTrue();
        assertThat(open(w, "2026-03-27T07:30:00Z")).isFalse();
        assertThat(open(w, "2026-03-30T07:00:00Z")).isTrue();
        assertThat(open(w, "2026-03-30T08:00:00Z")).isFalse();
        assertThat(DeploymentWindows.nextOpening(List.of(w), Instant.parse("2026-03-27T12:00:00Z")))
                .contains(Instant.parse("2026-03-30T07:00:00Z"));
    }

    @Test
    void aWindowPastMidnightBelongsToTheDayItOpens() {
        var w = window("UTC", "22:00", "02:00", "Fri");
        assertThat(open(w, "2026-11-27T22:00:00Z")).isTrue();
        assertThat(open(w, "2026-11-28T01:59:00Z")).as("Saturday 01:59, opened Friday").isTrue();
        assertThat(open(w, "2026-11-28T02:00:00Z")).isFalse();
        assertThat(open(w, "2026-11-27T01:00:00Z")).as("Friday 01:00 belongs to Thursday's opening").isFalse();
        assertThat(DeploymentWindows.closing(List.of(w), Instant.parse("2026-11-27T23:00:00Z")))
                .contains(Instant.parse("2026-11-28T02:00:00Z"));
    }

    @Test
    void theNextOpeningIsReported() {
        var w = window("UTC", "09:00", "17:00", "Mon", "Wed");
        assertThat(DeploymentWindows.nextOpening(List.of(w), Instant.parse("2026-11-23T17:30:00Z")))
                .contains(Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(DeploymentWindows.nextOpening(List.of(w), Instant.parse("2026-11-22T03:00:00Z")))
                .contains(Instant.parse("2026-11-23T09:00:00Z"));
    }

    @Test
    void badWindowsAreNamed() {
        var w = window("Mars/Olympus", "9:00", "25:00", "Someday");
        assertThat(DeploymentWindows.problems(List.of(w)))
                .anyMatch(p -> p.startsWith("spec.windows[0].days: 'Someday'"))
                .anyMatch(p -> p.startsWith("spec.windows[0].start"))
                .anyMatch(p -> p.startsWith("spec.windows[0].end"))
                .anyMatch(p -> p.startsWith("spec.windows[0].timeZone"));
        assertThat(DeploymentWindows.problems(List.of(window(null, "09:00", "24:00", "sun")))).isEmpty();
    }
}
