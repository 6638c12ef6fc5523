package io.warden.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnswerReaderTest {
    /** A stream that hands out at most {@code chunk} bytes a read, as a socket may. */
    private static InputStream trickling(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void linesBodiesAndTheRestReadBackWhateverTheBufferAndChunkSizes() throws IOException {
        Random random = new Random(7);
        for (int trial = 0; trial < 2_000; trial++) {
            List<String> lines = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) {
                String line = randomText(random, random.nextInt(30));
                lines.add(line);
                text.append(line).append(random.nextBoolean() ? "\r\n" : "\n");
            }
            byte[] body = randomText(random, random.nextInt(40)).getBytes(StandardCharsets.ISO_8859_1);
            String rest = randomText(random, random.nextInt(20));
            byte[] all = (text + new String(body, StandardCharsets.ISO_8859_1) + rest).getBytes(StandardCharsets.ISO_8859_1);
            int bufferBytes = 1 + random.nextInt(16);
            AnswerReader reader = new AnswerReader(trickling(all, 1 + random.nextInt(7)), bufferBytes);
            for (String expected : lines) assertThat(reader.line(1000)).as("trial %d, buffer %d", trial, bufferBytes).isEqualTo(expected);
            assertThat(reader.readNBytes(body.length)).isEqualTo(body);
            assertThat(new String(reader.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(rest);
            assertThat(reader.read()).isEqualTo(-1);
        }
    }

    @Test
    void aBodyCutShortIsReturnedShortAndALineCutShortIsAnError() throws IOException {
        AnswerReader reader = new AnswerReader(trickling("abc".getBytes(StandardCharsets.ISO_8859_1), 2), 2);
        assertThat(reader.readNBytes(10)).containsExactly('a', 'b', 'c');
        AnswerReader cut = new AnswerReader(new ByteArrayInputStream("HTTP/1.1 200".getBytes(StandardCharsets.ISO_8859_1)), 4);
        assertThatThrownBy(() -> cut.line(100)).isInstanceOf(EOFException.class);
    }

    @Test
    void aLineLongerThanAllowedIsRefused() {
        byte[] longLine = ("X-Long: " + "v".repeat(200) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        AnswerReader reader = new AnswerReader(trickling(longLine, 16), 8);
        assertThatThrownBy(() -> reader.line(100)).isInstanceOf(IOException.class).hasMessageContaining("too long");
    }

    private static String randomText(Random random, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append((char) (' ' + random.nextInt(95))); // printable, no CR or LF
        return b.toString();
    }
}
