package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Durations as typed on the command line, and as printed in tables. */
class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms, 500", "10s, 10000", "2m, 120000", "1h, 3600000", "1.5s, 1500", "0, 0", "0s, 0", " 250ms , 250"})
    void parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "s", "-1s", "10x", "1 s", "PT10S", ""})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(CommandLine.TypeConversionException.class)
            .hasMessageContaining("500ms, 10s, 2m or 1h");
    }

    @ParameterizedTest
    @CsvSource({"0, 0ms", "850, 850ms", "1000, 1s", "2900, 2.9s", "12000, 12s", "125000, 2m05s", "3720000, 1h02m"})
    void formats(long millis, String text) {
        assertThat(Durations.format(millis)).isEqualTo(text);
    }
}
