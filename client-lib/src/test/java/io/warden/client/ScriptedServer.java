package io.warden.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A socket server answering each request with what the script returns for (request number,
 * request text); null: never answer (hold the connection open).
 */
final class ScriptedServer implements AutoCloseable {
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

    /** An HTTP/1.1 answer with a JSON body. */
    static String answer(int status, String json, boolean close) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
            + (close ? "Connection: close\r\n" : "") + "\r\n" + json;
    }
}
