package io.warden.client;

import static io.warden.client.ScriptedServer.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's HTTP/1.1 against a real socket server whose answers each test scripts. */
class Http1ClientTest {

    @Test
    void sendsHeadersAndBodyAndReusesTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> answer(200, "{\"n\":" + n + "}", false));
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            for (int i = 1; i <= 3; i++) {
                Http1Client.Response r = http.send(server.uri("/v1/x?from=7"), "POST", Map.of("Warden-Client-Id", "42"),
                    "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":" + i + "}");
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
            }
            assertThat(server.connections.get()).as("one persistent connection").isEqualTo(1);
            String first = server.requests.get(0);
            assertThat(first).startsWith("POST /v1/x?from=7 HTTP/1.1\r\n").contains("Warden-Client-Id: 42\r\n")
                .contains("Content-Length: 7\r\n").endsWith("\r\n\r\n{\"a\":1}");
        }
    }

    @Test
    void readsChunkedAnswers() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
            + "4\r\n{\"a\"\r\n6;ext=1\r\n:12345\r\n1\r\n}\r\n0\r\nTrailer: x\r\n\r\n";
        try (ScriptedServer server = new ScriptedServer((n, request) -> chunked);
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            for (int i = 0; i < 2; i++) {
                Http1Client.Response r = http.send(server.uri("/"), "GET", Map.of(), null, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":12345}");
            }
            assertThat(server.connections.get()).isEqualTo(1);
        }
    }

    /** The replica closed an idle connection: the request goes again, once, on a new connection. */
    @Test
    void aRequestOnAConnectionClosedWhileIdleIsSentAgainOnANewOne() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> answer(200, "{}", false));
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            server.closeAfterEachAnswer = true; // without saying so (no "Connection: close")
            for (int i = 0; i < 3; i++) {
                assertThat(http.send(server.uri("/"), "GET", Map.of(), null, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).status())
                    .isEqualTo(200);
            }
            assertThat(server.requests).hasSize(3);
            assertThat(server.connections.get()).isEqualTo(3);
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> answer(200, "{}", true));
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            for (int i = 0; i < 2; i++) http.send(server.uri("/"), "GET", Map.of(), null, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    /** No answer within the timeout: a SocketTimeoutException, and the request is not sent again. */
    @Test
    void timesOutWithoutResending() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> null);
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> http.send(server.uri("/"), "GET", Map.of(), null, Duration.ofMillis(300)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SocketTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(250L, 4_000L);
            assertThat(server.requests).hasSize(1);
        }
    }

    /** Cancelling a held exchange closes its connection (the server sees it end). */
    @Test
    void cancellingClosesTheConnection() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> null);
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            var exchange = http.send(server.uri("/"), "POST", Map.of(), new byte[0], Duration.ofSeconds(30));
            assertThat(server.received.await(5, TimeUnit.SECONDS)).isTrue();
            exchange.cancel(true);
            assertThat(server.closedByClient.await(5, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
        }
    }

    /** A caller that waits anyway runs the exchange itself: done when send returns, on its own thread. */
    @Test
    void aWaitingCallerRunsTheExchangeOnItsOwnThread() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> answer(200, "{}", false));
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            Thread caller = Thread.currentThread();
            java.util.concurrent.atomic.AtomicReference<Thread> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
            var exchange = Http1Client.onCallerThread(() -> http.send(server.uri("/"), "GET", Map.of(), null, Duration.ofSeconds(5))
                .whenComplete((r, e) -> ranOn.set(Thread.currentThread())));
            assertThat(exchange).isCompleted();
            assertThat(ranOn.get()).isSameAs(caller);
            assertThat(http.send(server.uri("/"), "GET", Map.of(), null, Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS).status())
                .isEqualTo(200);
            assertThat(server.connections.get()).as("the same persistent connection").isEqualTo(1);
        }
    }

    /** A caller's thread held in an exchange (a waiting acquire) still answers an interrupt, promptly. */
    @Test
    void aWaitingCallerIsInterruptible() throws Exception {
        try (ScriptedServer server = new ScriptedServer((n, request) -> null);
             Http1Client http = new Http1Client(null, Duration.ofSeconds(5))) {
            java.util.concurrent.CompletableFuture<Throwable> failure = new java.util.concurrent.CompletableFuture<>();
            Thread caller = new Thread(() -> Http1Client.onCallerThread(
                () -> http.send(server.uri("/"), "POST", Map.of(), new byte[0], Duration.ofSeconds(30))).whenComplete((r, e) -> failure.complete(e)));
            caller.start();
            assertThat(server.received.await(5, TimeUnit.SECONDS)).isTrue();
            long interrupted = System.nanoTime();
            caller.interrupt();
            assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(java.io.InterruptedIOException.class)
                .isNotInstanceOf(SocketTimeoutException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interrupted)).isLessThan(2_000L);
            assertThat(server.closedByClient.await(5, TimeUnit.SECONDS)).as("the connection was closed").isTrue();
            caller.join(5_000);
        }
    }

    @Test
    void aRefusedConnectionFails() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (Http1Client http = new Http1Client(null, Duration.ofSeconds(2))) {
            assertThatThrownBy(() -> http.send(URI.create("http://127.0.0.1:" + port + "/"), "GET", Map.of(), null, Duration.ofSeconds(2))
                .get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        }
    }

}
