package io.warden.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
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

    private static String answer(int status, String json, boolean close) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
            + (close ? "Connection: close\r\n" : "") + "\r\n" + json;
    }

    /**
     * A socket server answering each request with what the script returns for (request number,
     * request text); null: never answer (hold the connection open).
     */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0);
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final CountDownLatch received = new CountDownLatch(1);
        final CountDownLatch closedByClient = new CountDownLatch(1);
        volatile boolean closeAfterEachAnswer;
        private final BiFunction<Integer, String, String> script;
        private final List<Socket> open = new CopyOnWriteArrayList<>();

        ScriptedServer(BiFunction<Integer, String, String> script) throws IOException {
            this.script = script;
            Thread t = new Thread(this::accept, "scripted-server");
            t.setDaemon(true);
            t.start();
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    Thread t = new Thread(() -> serve(s), "scripted-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                while (true) {
                    StringBuilder head = new StringBuilder();
                    int length = 0;
                    for (String line = in.readLine(); ; line = in.readLine()) {
                        if (line == null) {
                            closedByClient.countDown();
                            return;
                        }
                        head.append(line).append("\r\n");
                        if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
                        if (line.isEmpty()) break;
                    }
                    char[] body = new char[length];
                    int read = 0;
                    while (read < length) read += in.read(body, read, length - read);
                    requests.add(head + new String(body));
                    received.countDown();
                    String reply = script.apply(requests.size(), head.toString());
                    if (reply == null) {
                        if (in.read() < 0) closedByClient.countDown(); // hold until the client goes
                        return;
                    }
                    out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (closeAfterEachAnswer || reply.contains("Connection: close")) return;
                }
            } catch (IOException e) {
                closedByClient.countDown();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) s.close();
        }
    }
}
