package dev.glidepath.sandbox.scale;

/** A refusal as the API server words it: the HTTP code, the Status reason (Conflict, AlreadyExists...) and a message. */
final class ApiError extends RuntimeException {
    final int code;
    final String reason;

    ApiError(int code, String reason, String message) {
        super(message);
        this.code = code;
        this.reason = reason;
    }

    static ApiError notFound(String what) {
        return new ApiError(404, "NotFound", what + " not found");
    }

    static ApiError conflict(String what) {
        return new ApiError(409, "Conflict", "Operation cannot be fulfilled on " + what
                + ": the object has been modified; please apply your changes to the latest version and try again");
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, "BadRequest", message);
    }

    /** The Status object the API answers with. */
    String statusJson() {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + getMessage().replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }
}
