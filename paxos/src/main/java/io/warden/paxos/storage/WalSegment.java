package io.warden.paxos.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * One preallocated segment file of the {@link WriteAheadLog}, and the record framing inside it.
 *
 * <p>File layout: a 16-byte header {@code [magic int][version int][segment index long]}, then
 * records {@code [length int][crc32c int][type byte][payload]} where {@code length} counts the type
 * byte and the payload (so it is at least 1) and the CRC32C covers the four length bytes, the type
 * and the payload. The rest of the file is zeros: a zero length field marks the end of the records.
 * Records never span segments.
 *
 * <p>Not thread-safe: the log gives one thread at a time access to a segment.
 */
final class WalSegment implements Closeable {
    static final int HEADER_BYTES = 16;
    static final int FRAME_OVERHEAD = 8;
    private static final int MAGIC = 0x5744_4E4C; // "WDNL"
    private static final int VERSION = 1;
    private static final int ZERO_CHUNK = 1 << 20;
    private static final long FORCE_EVERY = 4L << 20;
    private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.wal");

    final long index;
    final Path path;
    private final FileChannel channel;
    private long writePosition;
    /** The file's length, kept here: asking the channel is a system call, and appends ask every time. */
    private long size;

    private WalSegment(long index, Path path, FileChannel channel, long writePosition) throws IOException {
        this.index = index;
        this.path = path;
        this.channel = channel;
        this.writePosition = writePosition;
        this.size = channel.size();
    }

    static String fileName(long index) {
        return String.format("segment-%020d.wal", index);
    }

    /** The index named by a segment file name, or empty for any other file. */
    static OptionalLong parseIndex(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** One record framed for the file: length, CRC32C, type, payload. */
    static byte[] frame(byte type, byte[] payload) {
        int length = 1 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(FRAME_OVERHEAD + length);
        b.putInt(length).putInt(0).put(type).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 4);
        crc.update(b.array(), FRAME_OVERHEAD, length);
        b.putInt(4, (int) crc.getValue());
        return b.array();
    }

    /**
     * Creates segment {@code index} of {@code capacity} bytes: {@link #prepare}, then {@link #install}.
     * The caller fsyncs the directory.
     */
    static WalSegment create(Path dir, long index, long capacity) throws IOException {
        return install(prepare(dir, index, capacity), index);
    }

    /**
     * Writes segment {@code index} of {@code capacity} bytes under a temporary name: the header,
     * then zeros (so later fdatasyncs need not update block allocation), forced every few MiB (so
     * the disk's queue never holds much of it ahead of a log force) and at the end. Returns the
     * temporary file, which recovery deletes if it finds it: it never held a record.
     */
    static Path prepare(Path dir, long index, long capacity) throws IOException {
        Path tmp = temporary(dir, index);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putLong(index).flip();
            writeFully(ch, header, 0);
            for (long pos = HEADER_BYTES; pos < capacity; pos += FORCE_EVERY) {
                zeroFill(ch, pos, Math.min(capacity, pos + FORCE_EVERY));
                ch.force(false);
            }
            ch.force(true);
        }
        return tmp;
    }

    /**
     * Renames a file {@link #prepare} wrote into place and opens it for appending: a segment file
     * either exists whole, with its header, or not at all. The caller fsyncs the directory.
     */
    static WalSegment install(Path prepared, long index) throws IOException {
        Path path = prepared.resolveSibling(fileName(index));
        Files.move(prepared, path, StandardCopyOption.ATOMIC_MOVE);
        return new WalSegment(index, path, FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE),
            HEADER_BYTES);
    }

    static Path temporary(Path dir, long index) {
        return dir.resolve(fileName(index) + ".tmp");
    }

    /** Opens an existing segment for scanning; its header must be intact (creation guarantees it). */
    static WalSegment open(Path path, long index) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            int n = readFully(ch, header, 0);
            header.flip();
            if (n < HEADER_BYTES || header.getInt() != MAGIC || header.getInt() != VERSION
                || header.getLong() != index) {
                throw new IOException("segment " + path + " has a damaged header");
            }
            return new WalSegment(index, path, ch, HEADER_BYTES);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Where a scan stopped: {@code clean} when at the zero end marker or the end of the file. */
    record ScanResult(long end, boolean clean) {}

    /**
     * Reads every valid record from the start, in order, stopping at the first zero, short,
     * oversized or bad-CRC frame. Leaves the write position at the end of the valid records.
     */
    ScanResult scan(WriteAheadLog.RecordConsumer consumer) throws IOException {
        WindowReader in = new WindowReader(channel, size);
        long pos = HEADER_BYTES;
        boolean clean;
        CRC32C crc = new CRC32C();
        while (true) {
            if (pos + FRAME_OVERHEAD > size) {
                clean = isZero(pos, size); // a segment may end in a few bytes too small for a frame
                break;
            }
            ByteBuffer head = in.slice(pos, FRAME_OVERHEAD);
            int length = head.getInt();
            int expectedCrc = head.getInt();
            if (length == 0) {
                clean = expectedCrc == 0;
                break;
            }
            if (length < 1 || length > size - pos - FRAME_OVERHEAD) {
                clean = false;
                break;
            }
            ByteBuffer body = in.slice(pos + FRAME_OVERHEAD, length);
            crc.reset();
            crc.update(ByteBuffer.allocate(4).putInt(0, length));
            crc.update(body.duplicate());
            if ((int) crc.getValue() != expectedCrc) {
                clean = false;
                break;
            }
            byte type = body.get();
            byte[] payload = new byte[length - 1];
            body.get(payload);
            consumer.accept(type, payload);
            pos += FRAME_OVERHEAD + length;
        }
        writePosition = pos;
        return new ScanResult(pos, clean);
    }

    /**
     * Makes everything after the valid records zeros again, up to at least {@code capacity}, and
     * forces it. Without this a record appended over a torn tail could be followed by stale bytes
     * that happen to form valid frames, and a later recovery would replay them.
     */
    void zeroTail(long capacity) throws IOException {
        if (size >= capacity && isZero(writePosition, size)) return;
        zeroFill(channel, writePosition, Math.max(size, capacity));
        channel.force(true);
        size = Math.max(size, capacity);
    }

    long writePosition() {
        return writePosition;
    }

    long remaining() {
        return size - writePosition;
    }

    /** Writes {@code bytes} at the write position; not durable until {@link #force()}. */
    void write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        writeFully(channel, bytes, writePosition);
        writePosition += n;
        size = Math.max(size, writePosition);
    }

    /** fdatasync: the size and blocks were fixed at creation, so data is all that needs forcing. */
    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private boolean isZero(long from, long to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(ZERO_CHUNK);
        for (long pos = from; pos < to; ) {
            buf.clear().limit((int) Math.min(ZERO_CHUNK, to - pos));
            int n = channel.read(buf, pos);
            if (n <= 0) return true;
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) return false;
            }
            pos += n;
        }
        return true;
    }

    private static void zeroFill(FileChannel ch, long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(ZERO_CHUNK);
        for (long pos = from; pos < to; ) {
            zeros.clear().limit((int) Math.min(ZERO_CHUNK, to - pos));
            pos += writeFully(ch, zeros, pos);
        }
    }

    private static int readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        int total = 0;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, position + total);
            if (n < 0) break;
            total += n;
        }
        return total;
    }

    private static int writeFully(FileChannel ch, ByteBuffer src, long position) throws IOException {
        int total = 0;
        while (src.hasRemaining()) total += ch.write(src, position + total);
        return total;
    }

    /** Sequential reads through a window, so a scan costs a few large reads, not two per record. */
    private static final class WindowReader {
        private static final int WINDOW = 1 << 20;
        private final FileChannel channel;
        private final long size;
        private ByteBuffer window = ByteBuffer.allocate(WINDOW);
        private long windowStart = 0;

        WindowReader(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
            window.limit(0);
        }

        /** {@code length} bytes at {@code position}, which the caller checked lie within the file. */
        ByteBuffer slice(long position, int length) throws IOException {
            if (position < windowStart || position + length > windowStart + window.limit()) {
                if (length > window.capacity()) window = ByteBuffer.allocate(length);
                window.clear().limit((int) Math.min(window.capacity(), size - position));
                windowStart = position;
                while (window.hasRemaining()) {
                    if (channel.read(window, windowStart + window.position()) < 0) {
                        throw new IOException("segment shrank while being read");
                    }
                }
                window.flip();
            }
            return window.slice((int) (position - windowStart), length);
        }
    }
}
