package dev.gatehouse.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a sign-in or a refused form sends the browser back to: pages of this server only. */
class LocalPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/portal/acme/apis", "/console/acme/apis/1?x=y"})
    void aPathOfThisServer_isKept(String path) {
        assertThat(WebUi.localPath(path, "/fallback")).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example/x", "https://evil.example/", "/\\evil.example", "portal", "/a b",
            "/a\tb", ""})
    void anythingElse_fallsBack(String path) {
        assertThat(WebUi.localPath(path, "/fallback")).isEqualTo("/fallback");
    }
}
