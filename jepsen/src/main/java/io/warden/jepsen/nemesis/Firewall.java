package io.warden.jepsen.nemesis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Kernel firewall rules between the cell's loopback addresses, through {@code iptables}: a chain
 * of this run's own ({@code WARDEN-JEPSEN-<pid>-<n>}), jumped to from {@code OUTPUT} and
 * {@code INPUT}, holding one {@code DROP} rule per cut link. Each rule matches only TCP between
 * two 127/8 addresses with the cell's own ports at one end, so other processes on the same
 * addresses are untouched.
 *
 * <p>Contract: {@link #drop} blocks until the rule is in place or throws {@link IOException};
 * {@link #healAll()} removes every rule; {@link #close()} removes the chain and its jumps and never
 * throws (it is also run from a shutdown hook). {@link #probe} proves that a rule really drops
 * packets here, so that a partition is never reported that did not happen. Thread-safe.
 */
public final class Firewall implements AutoCloseable {
    private static final AtomicInteger CHAINS = new AtomicInteger();
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    /** Runs one command to completion and returns its output; a non-zero exit is an {@link IOException}. */
    @FunctionalInterface
    public interface Commands {
        String run(List<String> command) throws IOException;
    }

    /** A one-way cut: packets from {@code from} to {@code to} are dropped. */
    public record Link(String from, String to) {
        public Link {
            requireLoopback(from);
            requireLoopback(to);
        }
    }

    private final String iptables;
    private final String chain;
    private final List<Integer> ports;
    private final Commands commands;
    private final Set<Link> dropped = new LinkedHashSet<>();
    private boolean installed;

    /**
     * A firewall using the {@code iptables} binary at {@code iptables} (see {@link #locate}), for a
     * cell whose sockets use {@code ports} (at most 15: one multiport match).
     */
    public Firewall(String iptables, List<Integer> ports, Commands commands) {
        if (ports.isEmpty() || ports.size() > 15) {
            throw new IllegalArgumentException("1 to 15 ports, got " + ports.size());
        }
        this.iptables = iptables;
        this.ports = List.copyOf(ports);
        this.commands = commands;
        this.chain = "WARDEN-JEPSEN-" + ProcessHandle.current().pid() % 10_000_000 + "-" + CHAINS.incrementAndGet();
    }

    /** A firewall that runs real commands. */
    public static Firewall system(String iptables, List<Integer> ports) {
        return new Firewall(iptables, ports, Firewall::exec);
    }

    /**
     * The executable {@code configured} names: a path (must exist and be executable), or a bare
     * name looked up on {@code PATH} and in the sbin directories. Empty if there is none.
     */
    public static Optional<String> locate(String configured) {
        if (configured.contains("/")) {
            return Files.isExecutable(Path.of(configured)) ? Optional.of(configured) : Optional.empty();
        }
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, configured))) {
                return Optional.of(Path.of(dir, configured).toString());
            }
        }
        return Optional.empty();
    }

    /** The chain's name. */
    public String chain() {
        return chain;
    }

    /** The links cut now. */
    public synchronized Set<Link> dropped() {
        return Set.copyOf(dropped);
    }

    /** Cuts one direction of a link (idempotent). */
    public synchronized void drop(Link link) throws IOException {
        install();
        if (dropped.contains(link)) {
            return;
        }
        iptables("-A", chain, "-p", "tcp", "-s", link.from(), "-d", link.to(), "-m", "multiport", "--ports",
                ports.stream().map(String::valueOf).collect(Collectors.joining(",")), "-j", "DROP");
        dropped.add(link);
    }

    /** Removes every rule (the chain and its jumps stay until {@link #close()}). */
    public synchronized void healAll() throws IOException {
        if (installed) {
            iptables("-F", chain);
        }
        dropped.clear();
    }

    /**
     * Proves the firewall works here: listens on {@code to}, cuts {@code from -> to} for that port
     * alone, and expects a connection from {@code from} to time out; then removes the rule and
     * expects it to connect. Returns why not, or empty if it works.
     */
    public Optional<String> probe(String from, String to) {
        requireLoopback(from);
        requireLoopback(to);
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getByName(to))) {
            int port = server.getLocalPort();
            synchronized (this) {
                install();
                iptables("-A", chain, "-p", "tcp", "-s", from, "-d", to, "--dport", String.valueOf(port), "-j", "DROP");
            }
            boolean connected;
            try {
                connected = connects(from, to, port);
            } finally {
                synchronized (this) {
                    iptables("-D", chain, "-p", "tcp", "-s", from, "-d", to, "--dport", String.valueOf(port), "-j", "DROP");
                }
            }
            if (connected) {
                return Optional.of("an iptables DROP rule had no effect on loopback traffic here");
            }
            if (!connects(from, to, port)) {
                return Optional.of("loopback address " + to + " is not reachable from " + from + " even without rules");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("iptables is not usable: " + e.getMessage());
        }
    }

    private static boolean connects(String from, String to, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName(to), port), 500);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private void install() throws IOException {
        if (installed) {
            return;
        }
        try {
            iptables("-N", chain);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("exists")) {
                throw e;
            }
            iptables("-F", chain); // left by an earlier run of a JVM with the same pid: reuse it
        }
        installed = true;
        iptables("-I", "OUTPUT", "1", "-j", chain);
        iptables("-I", "INPUT", "1", "-j", chain);
    }

    /** Removes the jumps, the rules and the chain; never throws. */
    @Override
    public synchronized void close() {
        if (!installed) {
            return;
        }
        for (String builtin : List.of("OUTPUT", "INPUT")) {
            for (int i = 0; i < 5; i++) { // in case a jump was inserted more than once
                try {
                    iptables("-D", builtin, "-j", chain);
                } catch (IOException e) {
                    break;
                }
            }
        }
        try {
            iptables("-F", chain);
            iptables("-X", chain);
        } catch (IOException e) {
            System.err.println("[jepsen] could not remove iptables chain " + chain + ": " + e.getMessage());
        }
        dropped.clear();
        installed = false;
    }

    private void iptables(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(iptables);
        command.add("-w"); // wait for the xtables lock: other tools may hold it
        command.addAll(List.of(args));
        commands.run(command);
    }

    private static void requireLoopback(String address) {
        if (!address.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("only 127.0.0.0/8 addresses may be firewalled: " + address);
        }
    }

    /** Runs a command, waiting at most 20 s. */
    static String exec(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
