package io.warden.server.http;

/** A request the API refuses, with the problem to answer (always a 4xx: the caller's to fix). */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    public ApiException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public static ApiException badRequest(String type, String detail) {
        return new ApiException(Problem.of(jakarta.ws.rs.core.Response.Status.BAD_REQUEST, type, detail));
    }

    public Problem problem() {
        return problem;
    }
}
