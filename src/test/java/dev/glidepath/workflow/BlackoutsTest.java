package dev.glidepath.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glidepath.api.v1alpha1.DeploymentWindow;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dates to avoid: they win over any window, as whole local days in the entry's time zone. */
class BlackoutsTest {

    private static DeploymentWindow blackouts(String zone, Integer lastDays, String... dates) {
        DeploymentWindow w = new DeploymentWindow();
        w.timeZone = zone;
        w.blackoutDates = dates.length == 0 ? null : List.of(dates);
        w.blackoutLastDaysOfMonth = lastDays;
        return w;
    }

    private static boolean open(List<DeploymentWindow> windows, String instant) {
        return DeploymentWindows.open(windows, Instant.parse(instant));
    }

    @Test
    void aBlackoutDateClosesAWindowForExactlyThatLocalDay() {
        // Tuesdays to Thursdays, 10:00 to 12:00 in Berlin; 2026-12-24 (a Thursday) is a holiday.
        var weekly = DeploymentWindowsTest.window("Europe/Berlin", "10:00", "12:00", "Tue", "Wed", "Thu");
        var holiday = blackouts("Europe/Berlin", null, "2026-12-24");
        List<DeploymentWindow> windows = List.of(weekly, holiday);
        assertThat(open(windows, "2026-12-23T10:30:00Z")).as("Wednesday 11:30 in Berlin").isTrue();
        assertThat(open(windows, "2026-12-24T10:30:00Z")).as("the holiday").isFalse();
        assertThat(DeploymentWindows.blackout(windows, Instant.parse("2026-12-24T10:30:00Z")))
                .contains("2026-12-24 is a blackout date (spec.windows[1].blackoutDates[0]: 2026-12-24)");
        // The Berlin day starts at 23:00 UTC the evening before, and ends at 23:00 UTC that evening.
        assertThat(DeploymentWindows.blackout(windows, Instant.parse("2026-12-23T22:59:59.999Z"))).isEmpty();
        assertThat(DeploymentWindows.blackout(windows, Instant.parse("2026-12-23T23:00:00Z"))).isPresent();
        assertThat(DeploymentWindows.blackout(windows, Instant.parse("2026-12-24T22:59:59.999Z"))).isPresent();
        assertThat(DeploymentWindows.blackout(windows, Instant.parse("2026-12-24T23:00:00Z"))).isEmpty();
        // The next opening skips the holiday: Tuesday 2026-12-29 at 10:00 in Berlin.
        assertThat(DeploymentWindows.nextOpening(windows, Instant.parse("2026-12-24T08:00:00Z")))
                .contains(Instant.parse("2026-12-29T09:00:00Z"));
    }

    @Test
    void aRangeIsInclusiveAndBlackoutsAloneForbidOnlyThoseDays() {
        var freeze = List.of(blackouts("UTC", null, "2026-12-20..2027-01-02"));
        assertThat(open(freeze, "2026-12-19T23:59:59Z")).isTrue();
        assertThat(open(freeze, "2026-12-20T00:00:00Z")).isFalse();
        assertThat(open(freeze, "2027-01-02T23:59:59Z")).isFalse();
        assertThat(open(freeze, "2027-01-03T00:00:00Z")).isTrue();
        assertThat(DeploymentWindows.nextOpening(freeze, Instant.parse("2026-12-25T12:00:00Z")))
                .contains(Instant.parse("2027-01-03T00:00:00Z"));
    }

    @Test
    void theLastDaysOfTheMonthFollowTheMonthsLength() {
        var endOfMonth = List.of(blackouts("UTC", 2));
        assertThat(open(endOfMonth, "2027-02-26T12:00:00Z")).isTrue();
        assertThat(open(endOfMonth, "2027-02-27T00:00:00Z")).as("28 days: the 27th and 28th").isFalse();
        assertThat(open(endOfMonth, "2028-02-27T12:00:00Z")).as("a leap year: the 28th and 29th").isTrue();
        assertThat(open(endOfMonth, "2028-02-28T00:00:00Z")).isFalse();
        assertThat(open(endOfMonth, "2028-02-29T23:59:59Z")).isFalse();
        assertThat(open(endOfMonth, "2028-03-01T00:00:00Z")).isTrue();
        assertThat(open(endOfMonth, "2026-12-30T00:00:00Z")).isFalse();
        assertThat(DeploymentWindows.blackout(endOfMonth, Instant.parse("2026-12-31T08:00:00Z")))
                .contains("2026-12-31 is in the last 2 days of the month (spec.windows[0].blackoutLastDaysOfMonth)");
    }

    @Test
    void aBlackoutDayAcrossADaylightSavingChangeIsTheWholeLocalDay() {
        // 2026-10-25: Berlin goes from CEST (UTC+2) to CET (UTC+1) at 03:00; that local day lasts 25 hours.
        var dst = List.of(blackouts("Europe/Berlin", null, "2026-10-25"));
        assertThat(open(dst, "2026-10-24T21:59:59Z")).isTrue();
        assertThat(open(dst, "2026-10-24T22:00:00Z")).as("00:00 CEST").isFalse();
        assertThat(open(dst, "2026-10-25T22:59:59Z")).as("23:59:59 CET").isFalse();
        assertThat(open(dst, "2026-10-25T23:00:00Z")).as("the next local midnight").isTrue();
        assertThat(DeploymentWindows.nextOpening(dst, Instant.parse("2026-10-25T12:00:00Z")))
                .contains(Instant.parse("2026-10-25T23:00:00Z"));
    }

    @Test
    void badBlackoutsAreRefusedNamingTheField() {
        var bad = blackouts("UTC", 29, "2026-13-01", "2026-12-31..2026-12-01");
        var empty = new DeploymentWindow();
        List<String> problems = DeploymentWindows.problems(List.of(bad, empty));
        assertThat(problems).containsExactlyInAnyOrder(
                "spec.windows[0].blackoutDates[0]: '2026-13-01' is not a date (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)",
                "spec.windows[0].blackoutDates[1]: '2026-12-31..2026-12-01' ends before it starts",
                "spec.windows[0].blackoutLastDaysOfMonth: must be from 1 to 28, got 29",
                "spec.windows[1]: needs a weekly window (days, start, end) or blackouts (blackoutDates, blackoutLastDaysOfMonth)");
        var partial = blackouts("UTC", null, "2026-12-24");
        partial.days = List.of("Fri");
        assertThat(DeploymentWindows.problems(List.of(partial))).contains("spec.windows[0].start: 'null' is not a time HH:MM");
    }
}
