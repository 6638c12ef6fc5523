package io.warden.server.cell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a lock or group name may be: each rule refuses what it should, with its own reason. */
class NamesTest {
    @Test
    void validNames() {
        for (String ok : new String[] {"/a", "/orders/primary", "/a.b/c_d-e/F9", "/...", "/a/.b", "/" + "x".repeat(Names.MAX_NAME - 1)}) {
            assertThat(Names.problemWithPath(ok)).as(ok).isNull();
        }
    }

    @Test
    void eachRuleNamesWhatIsWrong() {
        assertThat(Names.problemWithPath(null)).contains("required");
        assertThat(Names.problemWithPath("")).contains("required");
        assertThat(Names.problemWithPath("/" + "x".repeat(Names.MAX_NAME))).contains("at most");
        assertThat(Names.problemWithPath("orders")).contains("starts with '/'");
        assertThat(Names.problemWithPath("/")).contains("alone");
        for (String empty : new String[] {"//a", "/a//b", "/a/"}) assertThat(Names.problemWithPath(empty)).as(empty).contains("empty segments");
        for (String dots : new String[] {"/.", "/..", "/a/./b", "/a/../b", "/a/.."}) assertThat(Names.problemWithPath(dots)).as(dots).contains("'.' or '..'");
        assertThat(Names.problemWithPath("/a/b c")).isEqualTo("segment 'b c' may hold only letters, digits, '.', '_' and '-'");
        for (String bad : new String[] {"/a$", "/é", "/a/b%2F", "/a\\b", "/a:b"}) assertThat(Names.problemWithPath(bad)).as(bad).contains("may hold only");
    }
}
