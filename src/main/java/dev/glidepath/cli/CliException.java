package dev.glidepath.cli;

/** A command that cannot be done: the message says why for a person, the exit code for a script. */
public final class CliException extends RuntimeException {
    /** Exit codes: 1 a refused command or failed check, 2 a usage error, 3 not found, 4 forbidden, 5 no connection. */
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int FORBIDDEN = 4;
    public static final int UNREACHABLE = 5;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
