package io.warden.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.MediaType;
import org.glassfish.jersey.message.internal.HttpHeaderReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZeroWeightAcceptTest {

    /** The weight RFC 9110 gives application/json under each Accept header (as Jersey reads it): the most specific matching range's. */
    @ParameterizedTest(name = "Accept: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "application/json | 1000",
        "application/json;q=0 | 0",
        "application/json;q=0.5 | 500",
        "application/json;q=0, */* | 0",
        "*/*;q=0, application/json | 1000",
        "application/*;q=0, application/json;q=0.2 | 200",
        "application/json;q=0, application/* | 0",
        "text/plain, application/*;q=0.3 | 300",
        "text/plain | 0",
        "*/*;q=0 | 0",
        "APPLICATION/JSON;Q=0.7 | 700",
        "text/plain;charset=utf-8;q=1, application/json;level=1;q=0.1 | 100",
        "text/plain;x=\"a,b\", application/json;q=0 | 0",
    })
    void aTypeWeighsWhatItsMostSpecificMatchingRangeSays(String accept, int weight) throws Exception {
        assertThat(ZeroWeightAccept.weight(MediaType.APPLICATION_JSON_TYPE, HttpHeaderReader.readAcceptMediaType(accept))).isEqualTo(weight);
    }
}
