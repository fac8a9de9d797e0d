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
 * start. Pure.
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
            if (w.timeZone != null) {
                try {
                    ZoneId.of(w.timeZone);
                } catch (RuntimeException e) {
                    problems.add(field + ".timeZone: '" + w.timeZone + "' is not an IANA time zone such as Europe/Berlin");
                }
            }
        }
        return problems;
    }

    /** Whether a rollout may start at {@code now}: no windows means any time. */
    public static boolean open(List<DeploymentWindow> windows, Instant now) {
        if (windows == null || windows.isEmpty()) {
            return true;
        }
        return windows.stream().anyMatch(w -> openIn(w, now));
    }

    /** The next instant at which a window opens, searching up to two weeks ahead. */
    public static Optional<Instant> nextOpening(List<DeploymentWindow> windows, Instant now) {
        Instant best = null;
        for (DeploymentWindow w : windows) {
            ZoneId zone = zone(w);
            LocalDate day = now.atZone(zone).toLocalDate();
            for (int i = 0; i <= 14; i++) {
                LocalDate d = day.plusDays(i);
                if (onDay(w, d.getDayOfWeek())) {
                    Instant opening = ZonedDateTime.of(d, LocalTime.parse(w.start), zone).toInstant();
                    if (opening.isAfter(now) && (best == null || opening.isBefore(best))) {
                        best = opening;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** When the window open at {@code now} closes (the earliest, if several are open). */
    public static Optional<Instant> closing(List<DeploymentWindow> windows, Instant now) {
        Instant best = null;
        for (DeploymentWindow w : windows == null ? List.<DeploymentWindow>of() : windows) {
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
