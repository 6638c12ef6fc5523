package io.warden.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one binary encoding: everything written reads back equal, and a decoder fed anything else
 * (truncated, corrupted or random bytes) answers with an {@link IOException}, never another
 * exception, never a hang, and never a huge allocation on the word of a length prefix.
 */
class WireCodecTest {
    private static final Ballot B = new Ballot(7, 2);
    /** Random and corrupted inputs per test, each seeded. */
    private static final int RANDOM_INPUTS = 10_000;
    private static final Value RECONFIGURE = new Value.Reconfigure(Configuration.of(1, 2, 3, 4, 5));

    private static Command command(long client, long sequence, String payload) {
        return new Command(client, sequence, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static Value.Batch batch(int commands, int payloadBytes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Command> cs = new ArrayList<>(commands);
        for (int i = 0; i < commands; i++) {
            byte[] payload = new byte[payloadBytes];
            random.nextBytes(payload);
            cs.add(new Command(1 + random.nextLong(1_000), i, payload));
        }
        return new Value.Batch(cs);
    }

    static Stream<Value> values() {
        return Stream.of(
            Value.NOOP,
            new Value.Batch(List.of(command(1, 1, "put a=1"))),
            new Value.Batch(List.of(new Command(0, 0, new byte[0]))),                   // internal, empty payload
            new Value.Batch(List.of(new Command(Long.MAX_VALUE, Long.MAX_VALUE, new byte[] {0, -1, 127, -128}))),
            batch(10_000, 16, 1),                                                       // a large batch
            batch(3, 256 * 1024, 2),                                                    // large payloads
            RECONFIGURE,
            new Value.Reconfigure(Configuration.of(Integer.MAX_VALUE)));
    }

    static Stream<Message> messages() {
        Value.Batch small = new Value.Batch(List.of(command(9, 3, "x"), command(9, 4, "")));
        return Stream.of(
            new Message.Prepare(1, 2, B, 5),
            new Message.Prepare(Integer.MAX_VALUE, Integer.MIN_VALUE, new Ballot(Long.MAX_VALUE, -1), Long.MIN_VALUE),
            new Message.Promise(2, 1, B, List.of(
                new Message.AcceptedEntry(5, B, small, false),
                new Message.AcceptedEntry(6, Ballot.ZERO, Value.NOOP, true),
                new Message.AcceptedEntry(7, new Ballot(3, 1), RECONFIGURE, false)), 4),
            new Message.Promise(2, 1, B, List.of(), 0),
            new Message.Reject(3, 1, B, new Ballot(9, 3)),
            new Message.Accept(1, 3, B, 8, small, 7),
            new Message.Accept(1, 3, B, 9, Value.NOOP, 8),
            new Message.Accept(1, 3, B, 10, RECONFIGURE, 9),
            new Message.Accept(1, 3, B, 11, batch(5_000, 8, 3), 10),
            new Message.Accepted(3, 1, B, 8),
            new Message.LeaseRenew(1, 2, B, 42, 7),
            new Message.LeaseGrant(2, 1, B, 42),
            new Message.CatchUpRequest(3, 1, 1),
            new Message.CatchUp(1, 3, List.of(
                new Message.DecidedEntry(1, small), new Message.DecidedEntry(2, Value.NOOP), new Message.DecidedEntry(3, RECONFIGURE))),
            new Message.CatchUp(1, 3, List.of()),
            new Message.InstallSnapshot(1, 3, new Snapshot(20, "state".getBytes(StandardCharsets.UTF_8))),
            new Message.InstallSnapshot(1, 3, new Snapshot(0, new byte[0])));
    }

    @ParameterizedTest
    @MethodSource("values")
    void everyValueRoundTrips(Value v) throws IOException {
        byte[] bytes = WireCodec.encodeValue(v);
        Value back = WireCodec.decodeValue(bytes);
        assertThat(back).isEqualTo(v);
        assertThat(WireCodec.encodeValue(back)).isEqualTo(bytes); // one encoding per value
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageRoundTrips(Message m) throws IOException {
        byte[] bytes = WireCodec.encodeMessage(m);
        Message back = WireCodec.decodeMessage(bytes);
        assertThat(back).isEqualTo(m);
        assertThat(WireCodec.encodeMessage(back)).isEqualTo(bytes);
    }

    @Test
    void theSamplesCoverEveryMessageAndValueType() {
        Set<Class<?>> messageTypes = new HashSet<>();
        messages().forEach(m -> messageTypes.add(m.getClass()));
        assertThat(messageTypes).containsExactlyInAnyOrder(Message.class.getPermittedSubclasses());
        Set<Class<?>> valueTypes = new HashSet<>();
        values().forEach(v -> valueTypes.add(v.getClass()));
        assertThat(valueTypes).containsExactlyInAnyOrder(Value.class.getPermittedSubclasses());
    }

    @Test
    void decodedCommandsOwnTheirPayloads() throws IOException {
        byte[] bytes = WireCodec.encodeValue(new Value.Batch(List.of(command(1, 1, "abc"))));
        Value.Batch back = (Value.Batch) WireCodec.decodeValue(bytes);
        Arrays.fill(bytes, (byte) 0);
        assertThat(back.commands().get(0).payload()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
    }

    // ---- garbage in, IOException out ---------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("messages")
    void everyTruncationOfAMessageIsAnIOException(Message m) {
        byte[] bytes = WireCodec.encodeMessage(m);
        for (int len : cutLengths(bytes.length)) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> WireCodec.decodeMessage(cut)).as("%s cut to %d bytes", m.getClass().getSimpleName(), len)
                .isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("values")
    void everyTruncationOfAValueIsAnIOException(Value v) {
        byte[] bytes = WireCodec.encodeValue(v);
        for (int len : cutLengths(bytes.length)) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> WireCodec.decodeValue(cut)).as("value cut to %d bytes", len).isInstanceOf(IOException.class);
        }
    }

    /**
     * Every strict prefix length of a small encoding; for a large one (the big batches), every length
     * in its first 128 and last 32 bytes and 32 spread between: decoding a long prefix is slow, not different.
     */
    private static int[] cutLengths(int length) {
        if (length <= 4_096) return IntStream.range(0, length).toArray();
        IntStream ends = IntStream.concat(IntStream.range(0, 128), IntStream.range(length - 32, length));
        return IntStream.concat(ends, IntStream.range(0, 32).map(i -> 128 + (int) ((long) i * (length - 160) / 32)))
            .distinct().sorted().toArray();
    }

    @Test
    void randomBytesDecodeOrFailWithAnIOException() {
        SplittableRandom random = new SplittableRandom(20_240_601);
        assertTimeout(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < RANDOM_INPUTS; i++) {
                byte[] garbage = new byte[random.nextInt(64)];
                random.nextBytes(garbage);
                if (garbage.length > 8) garbage[8] = (byte) (1 + random.nextInt(10)); // a known message tag now and then
                decodeMessageOrIOException(garbage);
                decodeValueOrIOException(garbage);
            }
        });
    }

    @Test
    void corruptedMessagesDecodeOrFailWithAnIOException() {
        SplittableRandom random = new SplittableRandom(4_242);
        List<byte[]> encoded = messages().map(WireCodec::encodeMessage).filter(b -> b.length < 4_096).toList();
        assertTimeout(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < RANDOM_INPUTS; i++) {
                byte[] bytes = encoded.get(random.nextInt(encoded.size())).clone();
                int flips = 1 + random.nextInt(3);
                for (int f = 0; f < flips; f++) bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                decodeMessageOrIOException(Arrays.copyOf(bytes, bytes.length - random.nextInt(2)));
            }
        });
    }

    @Test
    void unknownTagsAreRefused() {
        assertThatThrownBy(() -> WireCodec.decodeValue(new byte[] {3})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeValue(new byte[] {-1})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeMessage(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, 11})).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeMessage(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, 0})).isInstanceOf(IOException.class);
    }

    @Test
    void invalidContentIsAnIOExceptionNotAnIllegalArgument() {
        // an empty batch, a negative command id, a negative ballot round, a configuration with a
        // duplicate member, a negative snapshot slot: all well-formed bytes, all invalid records
        assertThatThrownBy(() -> WireCodec.decodeValue(frame(out -> { out.writeByte(1); out.writeInt(0); })))
            .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeValue(frame(out -> {
            out.writeByte(1); out.writeInt(1); out.writeLong(-5); out.writeLong(1); out.writeInt(0);
        }))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeMessage(frame(out -> {
            out.writeInt(1); out.writeInt(2); out.writeByte(1); out.writeLong(-1); out.writeInt(1); out.writeLong(0);
        }))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeValue(frame(out -> { out.writeByte(2); out.writeInt(2); out.writeInt(3); out.writeInt(3); })))
            .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeValue(frame(out -> { out.writeByte(2); out.writeInt(1); out.writeInt(0); })))
            .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeMessage(frame(out -> {
            out.writeInt(1); out.writeInt(2); out.writeByte(10); out.writeLong(-3); out.writeInt(0);
        }))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> WireCodec.decodeValue(frame(out -> { out.writeByte(1); out.writeInt(-1); })))
            .isInstanceOf(IOException.class);
    }

    // ---- a length prefix is a claim, not a budget --------------------------------------------------

    /**
     * A 21-byte frame whose snapshot length prefix claims 1 GiB. It must fail with an IOException
     * (it does: EOF) without first allocating the claimed gigabyte, or a corrupt frame from the
     * network is an OutOfMemoryError in any JVM with a heap under 1 GiB.
     */
    @Test
    void aHugeByteLengthPrefixIsRefusedWithoutAllocatingIt() {
        byte[] frame = frame(out -> {
            out.writeInt(1); out.writeInt(2); out.writeByte(10); out.writeLong(5); out.writeInt((1 << 30) - 1);
        });
        assertThat(allocatedWhileDecoding(frame)).as("bytes allocated decoding a %d-byte frame", frame.length)
            .isLessThan(16L << 20);
    }

    /** Same for a batch whose command count claims 2^24 entries in a frame of a few bytes. */
    @Test
    void aHugeListCountIsRefusedWithoutAllocatingIt() {
        byte[] frame = frame(out -> {
            out.writeInt(1); out.writeInt(2); out.writeByte(4); out.writeLong(1); out.writeInt(1); out.writeLong(1);
            out.writeByte(1); out.writeInt(1 << 24);
        });
        assertThat(allocatedWhileDecoding(frame)).as("bytes allocated decoding a %d-byte frame", frame.length)
            .isLessThan(16L << 20);
    }

    private static long allocatedWhileDecoding(byte[] frame) {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "per-thread allocation counters");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        assertThatThrownBy(() -> WireCodec.decodeMessage(frame)).isInstanceOf(IOException.class);
        return threads.getThreadAllocatedBytes(tid) - before;
    }

    private interface FrameWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] frame(FrameWriter w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            w.write(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private static void decodeMessageOrIOException(byte[] bytes) {
        try {
            Message m = WireCodec.decodeMessage(bytes);
            assertThat(m).isNotNull();
        } catch (IOException expected) {
            // the only acceptable failure
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding " + Arrays.toString(bytes) + " threw " + e, e);
        }
    }

    private static void decodeValueOrIOException(byte[] bytes) {
        try {
            Value v = WireCodec.decodeValue(bytes);
            assertThat(v).isNotNull();
        } catch (IOException expected) {
            // the only acceptable failure
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding " + Arrays.toString(bytes) + " threw " + e, e);
        }
    }
}
