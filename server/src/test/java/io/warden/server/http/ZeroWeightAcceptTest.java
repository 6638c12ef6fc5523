package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeroWeightAcceptTest {

    /** The weight RFC 9110 gives application/json under each Accept header: the most specific matching range's. */
    @ParameterizedTest(name = "Accept: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "application/json | 1.0",
        "application/json;q=0 | 0.0",
        "application/json;q=0.5 | 0.5",
        "application/json;q=0, */* | 0.0",
        "*/*;q=0, application/json | 1.0",
        "application/*;q=0, application/json;q=0.2 | 0.2",
        "application/json;q=0, application/* | 0.0",
        "text/plain, application/*;q=0.3 | 0.3",
        "text/plain | 0.0",
        "*/*;q=0 | 0.0",
        "APPLICATION/JSON;Q=0.7 | 0.7",
        "text/plain;charset=utf-8;q=1, application/json;level=1;q=0.1 | 0.1",
    })
    void aTypeWeighsWhatItsMostSpecificMatchingRangeSays(String accept, double weight) {
        assertThat(ZeroWeightAccept.weight(MediaType.APPLICATION_JSON_TYPE, ZeroWeightAccept.parse(accept))).isEqualTo(weight);
    }

    @ParameterizedTest(name = "Accept: {0} is left to Jersey")
    @CsvSource(delimiter = '|', value = {"application/json;q=x", "application/json;q=2", "json;q=0", "application/;q=0"})
    void anAcceptHeaderThatIsNotARangeListWithValidWeightsIsLeftToJersey(String accept) {
        assertThat(ZeroWeightAccept.parse(accept)).isNull();
    }
}
