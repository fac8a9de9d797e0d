package dev.glidepath.workflow;

import dev.glidepath.api.v1alpha1.DeploymentWindow;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deployment windows, evaluated at an instant: each window opens on its days at a local time in its time
 * zone (daylight saving followed by java.time) and closes at its end time, past midnight when end is before
 * start. Blackouts (dates, ranges, the last days of the month: whole local days in the entry's zone) win over
 * any window. Pure.
 */
public final class DeploymentWindows {
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    private DeploymentWindows() {
    }

    /** Problems with the windows, each naming its field. */
    public static List<String> problems(List<DeploymentWindow> windows) {
        List<String> problems = new ArrayList<>();
        if (windows == null) {
            return problems;
        }
        for (int i = 0; i < windows.size(); i++) {
            DeploymentWindow w = windows.get(i);
            String field = "spec.windows[" + i + "]";
            if (w == null) {
                problems.add(field + ": is empty");
                continue;
            }
            boolean weekly = weekly(w);
            boolean blackouts = hasBlackouts(w);
            if (!weekly && !blackouts) {
                problems.add(field + ": needs a weekly window (days, start, end) or blackouts (blackoutDates, blackoutLastDaysOfMonth)");
                continue;
            }
            blackoutProblems(problems, field, w);
            if (!weekly) {
                timeZone(problems, field, w);
                continue;
            }
            if (w.days == null || w.days.isEmpty()) {
                problems.add(field + ".days: at least one day (Mon..Sun) is required");
            } else {
                for (String d : w.days) {
                    if (d == null || !DAYS.containsKey(d.toLowerCase(Locale.ROOT).substring(0, Math.min(3, d.length())))) {
                        problems.add(field + ".days: '" + d + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
                    }
                }
            }
            time(problems, field + ".start", w.start);
            time(problems, field + ".end", w.end);
            if (w.start != null && w.start.equals(w.end)) {
                problems.add(field + ": start and end are equal; the window would never be open");
            }
            timeZone(problems, field, w);
        }
        return problems;
    }

    private static void timeZone(List<String> problems, String field, DeploymentWindow w) {
        if (w.timeZone != null) {
            try {
                ZoneId.of(w.timeZone);
            } catch (RuntimeException e) {
                problems.add(field + ".timeZone: '" + w.timeZone + "' is not an IANA time zone such as Europe/Berlin");
            }
        }
    }

    private static void blackoutProblems(List<String> problems, String field, DeploymentWindow w) {
        if (w.blackoutDates != null) {
            for (int j = 0; j < w.blackoutDates.size(); j++) {
                String text = w.blackoutDates.get(j);
                String f = field + ".blackoutDates[" + j + "]";
                try {
                    LocalDate[] range = range(text);
                    if (range[1].isBefore(range[0])) {
                        problems.add(f + ": '" + text + "' ends before it starts");
                    }
                } catch (RuntimeException e) {
                    problems.add(f + ": '" + text + "' is not a date (YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)");
                }
            }
        }
        if (w.blackoutLastDaysOfMonth != null && (w.blackoutLastDaysOfMonth < 1 || w.blackoutLastDaysOfMonth > 28)) {
            problems.add(field + ".blackoutLastDaysOfMonth: must be from 1 to 28, got " + w.blackoutLastDaysOfMonth);
        }
    }

    private static boolean weekly(DeploymentWindow w) {
        return w.days != null || w.start != null || w.end != null;
    }

    private static boolean hasBlackouts(DeploymentWindow w) {
        return w.blackoutDates != null && !w.blackoutDates.isEmpty() || w.blackoutLastDaysOfMonth != null;
    }

    /** A blackout date or range as [first, last] local days. */
    private static LocalDate[] range(String text) {
        int dots = text.indexOf("..");
        LocalDate first = LocalDate.parse(dots < 0 ? text : text.substring(0, dots));
        LocalDate last = dots < 0 ? first : LocalDate.parse(text.substring(dots + 2));
        return new LocalDate[] {first, last};
    }

    /**
     * Why no rollout may start at {@code now} because of a blackout, naming the field; empty when no blackout
     * covers it. Each entry's blackouts are whole local days in its own time zone.
     */
    public static Optional<String> blackout(List<DeploymentWindow> windows, Instant now) {
        if (windows == null) {
            return Optional.empty();
        }
        for (int i = 0; i < windows.size(); i++) {
            DeploymentWindow w = windows.get(i);
            if (w == null || !hasBlackouts(w)) {
                continue;
            }
            LocalDate day = now.atZone(zone(w)).toLocalDate();
            String field = "spec.windows[" + i + "]";
            if (w.blackoutDates != null) {
                for (int j = 0; j < w.blackoutDates.size(); j++) {
                    LocalDate[] r = range(w.blackoutDates.get(j));
                    if (!day.isBefore(r[0]) && !day.isAfter(r[1])) {
                        return Optional.of(day + " is a blackout date (" + field + ".blackoutDates[" + j + "]: " + w.blackoutDates.get(j) + ")");
                    }
                }
            }
            if (w.blackoutLastDaysOfMonth != null && day.getDayOfMonth() > day.lengthOfMonth() - w.blackoutLastDaysOfMonth) {
                return Optional.of(day + " is in the last " + w.blackoutLastDaysOfMonth + " days of the month (" + field
                        + ".blackoutLastDaysOfMonth)");
            }
        }
        return Optional.empty();
    }

    /** How far ahead the next opening is looked for (a long holiday range fits in it). */
    public static final int HORIZON_DAYS = 62;

    /**
     * Whether a rollout may start at {@code now}: no blackout covers it, and a weekly window is open (no weekly
     * window means any time).
     */
    public static boolean open(List<DeploymentWindow> windows, Instant now) {
        if (windows == null || windows.isEmpty()) {
            return true;
        }
        if (blackout(windows, now).isPresent()) {
            return false;
        }
        List<DeploymentWindow> weekly = windows.stream().filter(w -> w != null && weekly(w)).toList();
        return weekly.isEmpty() || weekly.stream().anyMatch(w -> openIn(w, now));
    }

    /**
     * The next instant at which a rollout may start, searching {@link #HORIZON_DAYS} ahead: a window opening,
     * or the end of a blackout day inside an open window, whichever comes first and is not blacked out.
     */
    public static Optional<Instant> nextOpening(List<DeploymentWindow> windows, Instant now) {
        java.util.TreeSet<Instant> candidates = new java.util.TreeSet<>();
        for (DeploymentWindow w : windows) {
            if (w == null) {
                continue;
            }
            ZoneId zone = zone(w);
            LocalDate day = now.atZone(zone).toLocalDate();
            for (int i = 0; i <= HORIZON_DAYS; i++) {
                LocalDate d = day.plusDays(i);
                if (weekly(w) && onDay(w, d.getDayOfWeek())) {
                    candidates.add(ZonedDateTime.of(d, LocalTime.parse(w.start), zone).toInstant());
                }
                if (hasBlackouts(w)) {
                    // A blackout day ends at the next local midnight (the first instant of the next day).
                    candidates.add(d.plusDays(1).atStartOfDay(zone).toInstant());
                }
            }
        }
        return candidates.tailSet(now, false).stream().filter(c -> open(windows, c)).findFirst();
    }

    /** When the window open at {@code now} closes (the earliest, if several are open). */
    public static Optional<Instant> closing(List<DeploymentWindow> windows, Instant now) {
        Instant best = null;
        for (DeploymentWindow w : windows == null ? List.<DeploymentWindow>of() : windows) {
            if (w == null || !weekly(w)) {
                continue;
            }
            Optional<Instant> end = openUntil(w, now);
            if (end.isPresent() && (best == null || end.get().isBefore(best))) {
                best = end.get();
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean openIn(DeploymentWindow w, Instant now) {
        return openUntil(w, now).isPresent();
    }

    /** If the window is open at now, when that opening ends. */
    private static Optional<Instant> openUntil(DeploymentWindow w, Instant now) {
        ZoneId zone = zone(w);
        LocalTime start = LocalTime.parse(w.start);
        boolean overnight = !"24:00".equals(w.end) && LocalTime.parse(w.end).isBefore(start);
        LocalDate today = now.atZone(zone).toLocalDate();
        // The opening may have begun today or, for windows running past midnight, yesterday.
        for (LocalDate opened : overnight ? List.of(today, today.minusDays(1)) : List.of(today)) {
            if (!onDay(w, opened.getDayOfWeek())) {
                continue;
            }
            Instant from = ZonedDateTime.of(opened, start, zone).toInstant();
            Instant to = "24:00".equals(w.end) ? ZonedDateTime.of(opened.plusDays(1), LocalTime.MIDNIGHT, zone).toInstant()
                    : ZonedDateTime.of(overnight ? opened.plusDays(1) : opened, LocalTime.parse(w.end), zone).toInstant();
            if (!now.isBefore(from) && now.isBefore(to)) {
                return Optional.of(to);
            }
        }
        return Optional.empty();
    }

    private static boolean onDay(DeploymentWindow w, DayOfWeek day) {
        return w.days.stream().anyMatch(d -> DAYS.get(d.toLowerCase(Locale.ROOT).substring(0, 3)) == day);
    }

    private static ZoneId zone(DeploymentWindow w) {
        return w.timeZone == null ? ZoneOffset.UTC : ZoneId.of(w.timeZone);
    }

    private static void time(List<String> problems, String field, String value) {
        if (value == null || !value.matches("^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$")) {
            problems.add(field + ": '" + value + "' is not a time HH:MM");
        }
    }

    public static String describe(Duration d) {
        return d.toHours() + "h" + d.toMinutesPart() + "m";
    }
}
