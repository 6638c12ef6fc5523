package io.warden.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A connection's answers, buffered, for one thread at a time (a connection serves one exchange at
 * once). {@code java.io.BufferedInputStream} takes its monitor on every {@code read()} (JDK 17), and
 * an answer's status and header lines, read a byte at a time, paid that about 150 times a request.
 */
final class AnswerReader {
    private final InputStream in;
    private final byte[] buffer;
    private int next;
    private int end;

    AnswerReader(InputStream in, int bufferBytes) {
        this.in = in;
        this.buffer = new byte[bufferBytes];
    }

    /** The next byte, or -1 at the end of the stream. A read that times out leaves nothing half-read. */
    int read() throws IOException {
        if (next == end && !fill()) return -1;
        return buffer[next++] & 0xff;
    }

    /** One line without its line end (LF, or CR LF), as ISO-8859-1; longer than {@code maxBytes}: refused. */
    String line(int maxBytes) throws IOException {
        StringBuilder longLine = null;
        while (true) {
            if (next == end && !fill()) throw new EOFException("the answer ended early");
            int start = next;
            while (next < end && buffer[next] != '\n') next++;
            int length = next - start;
            if ((longLine == null ? 0 : longLine.length()) + length > maxBytes) throw new IOException("answer line too long");
            if (next < end) { // found the LF
                next++;
                if (longLine == null) { // the usual case: the whole line was in the buffer
                    if (length > 0 && buffer[start + length - 1] == '\r') length--;
                    return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
                }
                String line = longLine.append(new String(buffer, start, length, StandardCharsets.ISO_8859_1)).toString();
                return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            }
            if (longLine == null) longLine = new StringBuilder(2 * length);
            longLine.append(new String(buffer, start, length, StandardCharsets.ISO_8859_1));
        }
    }

    /** Up to {@code n} bytes: fewer only if the stream ends first. */
    byte[] readNBytes(int n) throws IOException {
        int buffered = Math.min(n, end - next);
        byte[] rest = buffered == n ? new byte[0] : in.readNBytes(n - buffered); // grows as bytes come, not by n
        byte[] out = new byte[buffered + rest.length];
        System.arraycopy(buffer, next, out, 0, buffered);
        System.arraycopy(rest, 0, out, buffered, rest.length);
        next += buffered;
        return out;
    }

    /** Everything up to the end of the stream. */
    byte[] readAllBytes() throws IOException {
        return readNBytes(Integer.MAX_VALUE);
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) return false;
        next = 0;
        end = n;
        return true;
    }
}
