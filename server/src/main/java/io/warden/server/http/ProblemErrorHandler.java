package io.warden.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the API (a malformed request line, headers
 * too large, a bad URI encoding), as {@code application/problem+json} too: no HTML error pages.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String title = HttpStatus.getMessage(code);
        String detail = message == null || message.isBlank() ? title : message;
        Problem p = Problem.of(code, title, title.toLowerCase().replace(' ', '-'), detail);
        byte[] body;
        try {
            body = JsonMapper.MAPPER.writeValueAsBytes(p);
        } catch (Exception e) {
            body = ("{\"status\":" + code + "}").getBytes(StandardCharsets.UTF_8);
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (Problem.retryLater(code)) response.getHeaders().put(HttpHeader.RETRY_AFTER, Problem.RETRY_AFTER_SECONDS);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
