package io.warden.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The client's HTTP/1.1: persistent connections per replica, each exchange written and read with
 * blocking sockets, on a pooled thread or, for a caller that waits for the answer anyway
 * ({@link #onCallerThread}), on the caller's own thread: no hand-off to a worker and back, which
 * is two thread wake-ups per request. It replaces {@code java.net.http.HttpClient}, whose
 * asynchronous exchange cost about 0.5 ms and several thread hand-offs per request on loopback
 * (a blocking socket exchange with the same server: 0.1 ms), which was most of a lock cycle.
 *
 * <p>What it speaks is what a Warden replica answers: requests with a Content-Length body (or
 * none), responses with a Content-Length, chunked, or close-delimited body. TLS by the given
 * context, with the host name (or IP address) checked against the certificate as HTTPS does.
 *
 * <p>An exchange may be held for long (a waiting acquire): it has its own connection and thread
 * while it lasts. Cancelling its future closes that connection; a caller's thread waiting in one
 * is interrupted within {@link #INTERRUPT_CHECK_MILLIS}. A request that fails on a reused
 * connection before any of the answer came is sent once more on a new one: the replica closed an
 * idle connection (mutations carry request ids, so the replica answers a resent one once).
 * Thread-safe.
 */
final class Http1Client implements AutoCloseable {
    /** Idle connections kept per replica; more are closed when returned. */
    private static final int MAX_IDLE_PER_ORIGIN = 16;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    /** How often a caller's thread waiting for an answer looks at its interrupt flag. */
    static final int INTERRUPT_CHECK_MILLIS = 50;
    /** Set while a caller that blocks on the answer sends: its exchanges run on its thread. */
    private static final ThreadLocal<Boolean> CALLER_WAITS = new ThreadLocal<>();

    /** One answer: status, headers (names in lower case) and the whole body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final SSLContext tls;
    private final int connectTimeoutMillis;
    private final ExecutorService workers;
    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param tls for https:// origins; null: the JVM's default context (made when first needed) */
    Http1Client(SSLContext tls, Duration connectTimeout) {
        this.tls = tls;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "warden-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Sends {@code method} to {@code uri} with {@code headers} and {@code body} (null: none) and
     * completes with the answer, or fails with an IOException (SocketTimeoutException past
     * {@code timeout}). Cancelling the future abandons the exchange and closes its connection.
     */
    CompletableFuture<Response> send(URI uri, String method, Map<String, String> headers, byte[] body, Duration timeout) {
        Exchange exchange = prepare(uri, method, headers, body, timeout);
        exchange.start();
        return exchange;
    }

    /** As {@link #send}, but not started: callers register what must see it (a cancel) before {@link Exchange#start}. */
    Exchange prepare(URI uri, String method, Map<String, String> headers, byte[] body, Duration timeout) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        return new Exchange(uri, requestHead(uri, method, headers, body), body, timeoutMillis);
    }

    /**
     * Calls {@code call} with every exchange it starts on this thread run on this thread, before
     * start returns: for a caller that would otherwise block waiting for the answer. Exchanges
     * started later (retries after a back-off, on the client's timer) run on pooled threads.
     */
    static <T> CompletableFuture<T> onCallerThread(Supplier<CompletableFuture<T>> call) {
        boolean outer = CALLER_WAITS.get() == null;
        CALLER_WAITS.set(Boolean.TRUE);
        try {
            return call.get();
        } finally {
            if (outer) CALLER_WAITS.remove();
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        idle.values().forEach(q -> {
            synchronized (q) {
                q.forEach(Connection::close);
                q.clear();
            }
        });
    }

    private static byte[] requestHead(URI uri, String method, Map<String, String> headers, byte[] body) {
        StringBuilder h = new StringBuilder(256);
        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        h.append(method).append(' ').append(target);
        if (uri.getRawQuery() != null) h.append('?').append(uri.getRawQuery());
        h.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() >= 0) h.append(':').append(uri.getPort());
        h.append("\r\n");
        headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        if (body != null || !method.equals("GET")) h.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        h.append("\r\n");
        return h.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** A future that closes its connection when cancelled. */
    final class Exchange extends CompletableFuture<Response> {
        private final URI uri;
        private final byte[] head;
        private final byte[] body;
        private final int timeoutMillis;
        private volatile Connection connection;

        private Exchange(URI uri, byte[] head, byte[] body, int timeoutMillis) {
            this.uri = uri;
            this.head = head;
            this.body = body;
            this.timeoutMillis = timeoutMillis;
        }

        /** Runs the exchange: here, inside {@link #onCallerThread}; else on a pooled thread. */
        void start() {
            if (CALLER_WAITS.get() != null) {
                run(true);
                return;
            }
            try {
                workers.execute(() -> run(false));
            } catch (RuntimeException e) { // closed
                completeExceptionally(new IOException("the client is closed"));
            }
        }

        private void run(boolean callerWaits) {
            if (closed) {
                completeExceptionally(new IOException("the client is closed"));
                return;
            }
            String origin = origin(uri);
            boolean retried = false;
            while (!isDone()) {
                Connection c = null;
                try {
                    c = take(origin);
                    boolean reused = c != null;
                    if (c == null) c = open(uri);
                    connection = c;
                    if (isDone()) { // cancelled while connecting
                        c.close();
                        return;
                    }
                    Response r;
                    try {
                        r = c.exchange(head, body, timeoutMillis, callerWaits);
                    } catch (IOException e) {
                        c.close();
                        if (reused && !retried && !c.answerStarted && isConnectionLost(e) && !isDone()) {
                            // The replica closed an idle connection (timed out, or restarted: then the
                            // other idle ones are dead too): drop them and try a new one.
                            retried = true;
                            dropIdle(origin);
                            continue;
                        }
                        throw e;
                    }
                    if (c.reusable) give(origin, c); else c.close();
                    complete(r);
                } catch (IOException | RuntimeException e) {
                    if (c != null) c.close();
                    completeExceptionally(e);
                }
                return;
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            Connection c = connection;
            if (cancelled && c != null) c.close();
            return cancelled;
        }
    }

    private Connection take(String origin) {
        Deque<Connection> q = idle.get(origin);
        if (q == null) return null;
        synchronized (q) {
            Connection c;
            while ((c = q.pollFirst()) != null) {
                if (!c.socket.isClosed()) return c;
            }
        }
        return null;
    }

    private void dropIdle(String origin) {
        Deque<Connection> q = idle.get(origin);
        if (q == null) return;
        synchronized (q) {
            q.forEach(Connection::close);
            q.clear();
        }
    }

    private void give(String origin, Connection c) {
        Deque<Connection> q = idle.computeIfAbsent(origin, o -> new ArrayDeque<>());
        synchronized (q) {
            if (!closed && q.size() < MAX_IDLE_PER_ORIGIN) {
                q.addFirst(c); // most recently used first: the others can time out idle
                return;
            }
        }
        c.close();
    }

    private Connection open(URI uri) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(uri.getHost(), port(uri)), connectTimeoutMillis);
            if (!"https".equals(uri.getScheme())) return new Connection(plain);
            SSLContext context = tls != null ? tls : defaultContext();
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, uri.getHost(), port(uri), true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(connectTimeoutMillis);
            s.startHandshake();
            return new Connection(s);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static SSLContext defaultContext() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException("no default TLS context", e);
        }
    }

    /** One persistent connection, used by one exchange at a time. */
    private static final class Connection {
        final Socket socket;
        private final AnswerReader in;
        private final OutputStream out;
        /** Some of the current answer arrived (so the request was read: never send it again here). */
        boolean answerStarted;
        /** The last answer left the connection usable for the next request. */
        boolean reusable;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new AnswerReader(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
        }

        /** @param interruptible the caller's own thread waits: give up when it is interrupted */
        Response exchange(byte[] head, byte[] body, int timeoutMillis, boolean interruptible) throws IOException {
            answerStarted = false;
            reusable = false;
            socket.setSoTimeout(timeoutMillis);
            if (body == null || head.length + body.length > 16 * 1024) {
                out.write(head);
                if (body != null) out.write(body);
            } else { // one segment for the usual small request
                byte[] all = new byte[head.length + body.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                out.write(all);
            }
            out.flush();
            int first = interruptible ? firstByteUnlessInterrupted(timeoutMillis) : in.read();
            if (first < 0) throw new EOFException("the connection was closed before an answer");
            answerStarted = true;
            String statusLine = (char) first + line();
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x answer: " + statusLine);
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("bad status line: " + statusLine);
            }
            Map<String, String> headers = new HashMap<>();
            int headerBytes = 0;
            for (String h = line(); !h.isEmpty(); h = line()) {
                headerBytes += h.length();
                if (headerBytes > MAX_HEADER_BYTES) throw new IOException("answer headers too long");
                int colon = h.indexOf(':');
                if (colon > 0) headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            boolean keepAlive = !"close".equalsIgnoreCase(headers.get("connection")) && parts[0].equals("HTTP/1.1");
            byte[] content;
            String length = headers.get("content-length");
            if (status / 100 == 1 || status == 204 || status == 304) {
                content = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                content = chunked();
            } else if (length != null) {
                int n;
                try {
                    n = Integer.parseInt(length);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + length);
                }
                content = in.readNBytes(n);
                if (content.length != n) throw new EOFException("the answer ended early");
            } else {
                content = in.readAllBytes();
                keepAlive = false;
            }
            reusable = keepAlive;
            return new Response(status, headers, content);
        }

        /** The answer's first byte, waited for in slices that look at the thread's interrupt flag. */
        private int firstByteUnlessInterrupted(int timeoutMillis) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                socket.setSoTimeout((int) Math.max(1, Math.min(left, INTERRUPT_CHECK_MILLIS)));
                try {
                    int first = in.read(); // the buffer is empty here: a timeout loses nothing
                    socket.setSoTimeout(timeoutMillis);
                    return first;
                } catch (SocketTimeoutException e) {
                    if (Thread.currentThread().isInterrupted()) throw new InterruptedIOException("interrupted while waiting for the answer");
                    if (left <= INTERRUPT_CHECK_MILLIS) throw e;
                }
            }
        }

        private byte[] chunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                int n;
                try {
                    n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + size);
                }
                if (n == 0) {
                    while (!line().isEmpty()) { } // trailers
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(n);
                if (chunk.length != n) throw new EOFException("the answer ended early");
                body.write(chunk);
                line();
            }
        }

        /** One header line without its CRLF. */
        private String line() throws IOException {
            return in.line(MAX_HEADER_BYTES);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException | RuntimeException ignored) {
                // closing: nothing to do about it
            }
        }
    }

    /** True for the errors of a connection the other side closed or reset (not a timeout). */
    private static boolean isConnectionLost(Throwable e) {
        return e instanceof EOFException || e instanceof SocketException;
    }
}
