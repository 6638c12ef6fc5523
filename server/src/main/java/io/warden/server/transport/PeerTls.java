package io.warden.server.transport;

import io.warden.server.config.Member;
import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Mutual TLS on peer links. Both ends present a certificate from the cell's CA (the context's
 * trust managers reject any other), and each end checks that the other's certificate names the
 * member it expects: a replica's identity is the SAN URI {@code warden://<cell>/<member-id>}.
 * The connecting side expects the member it dialled; the accepting side, the member that the
 * {@link Handshake} then claims. So a replica holding another member's certificate, even a valid
 * one from the cell's CA, cannot speak as itself, and cannot speak as that member from its address
 * without also holding that member's key.
 *
 * <p>Blocking: the TLS handshake runs on the connection's own thread (never the replica loop's or
 * the acceptor's) and is bounded by {@link #HANDSHAKE_TIMEOUT_MILLIS}, so a peer that stalls mid-
 * handshake costs one thread that long. Sockets are layered over plain ones that the caller keeps
 * and closes directly: closing the plain socket never waits on TLS locks held by a blocked write.
 */
public final class PeerTls {
    static final int HANDSHAKE_TIMEOUT_MILLIS = 5_000;
    private static final int SAN_URI = 6;

    private final SSLContext context;
    private final String cell;

    /** @param context trusts the cell's CA and presents this replica's certificate; @param cell the cell's name */
    public PeerTls(SSLContext context, String cell) {
        this.context = Objects.requireNonNull(context, "context");
        this.cell = Objects.requireNonNull(cell, "cell");
    }

    /** The identity a member's certificate must carry, as a SAN URI. */
    public static String identity(String cell, int memberId) {
        return "warden://" + cell + "/" + memberId;
    }

    /** TLS as the client over a connected socket to {@code peer}; throws unless the server proves to be that member. */
    SSLSocket connect(Socket raw, Member peer) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, peer.host(), peer.peerPort(), true);
        s.setUseClientMode(true);
        handshake(s);
        String refusal = refusal(s, peer.id());
        if (refusal != null) throw new IOException("the replica at " + peer.host() + ":" + peer.peerPort() + " is not member " + peer.id() + ": " + refusal);
        return s;
    }

    /** TLS as the server over an accepted socket; the client must present a certificate from the cell's CA. */
    SSLSocket accept(Socket raw) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        handshake(s);
        return s;
    }

    /** Why the other end of {@code s} is not member {@code memberId} of our cell; null when it is. */
    String refusal(SSLSocket s, int memberId) {
        String wanted = identity(cell, memberId);
        X509Certificate leaf;
        try {
            Certificate[] chain = s.getSession().getPeerCertificates();
            leaf = (X509Certificate) chain[0];
        } catch (IOException | ClassCastException e) {
            return "no verified certificate (" + e.getMessage() + ")";
        }
        List<String> uris = sanUris(leaf);
        if (uris.contains(wanted)) return null;
        return "its certificate (" + leaf.getSubjectX500Principal().getName() + ", SAN URIs " + uris + ") does not name " + wanted;
    }

    static List<String> sanUris(X509Certificate cert) {
        List<String> uris = new ArrayList<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) if (Integer.valueOf(SAN_URI).equals(n.get(0))) uris.add(String.valueOf(n.get(1)));
            }
        } catch (CertificateParsingException e) {
            // an unparsable SAN extension names nobody
        }
        return uris;
    }

    private static void handshake(SSLSocket s) throws IOException {
        int before = s.getSoTimeout();
        s.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        s.startHandshake();
        s.setSoTimeout(before);
    }
}
