package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.decision.Refusal;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void everyRefusal_hasItsStatusAndOneProblemType() {
        assertThat(Refusal.values()).extracting(Refusal::code).containsExactly("no_route", "method_not_allowed",
                "api_blocked", "missing_token", "invalid_token", "invalid_token", "invalid_dpop_proof", "invalid_api_key",
                "token_resolution_unavailable", "unknown_application", "wrong_key_type",
                "not_subscribed", "insufficient_scope", "rate_limited", "backend_unavailable", "backend_timeout",
                "internal_error");
        assertThat(Refusal.values()).extracting(Refusal::status)
                .containsExactly(404, 405, 503, 401, 401, 401, 401, 401, 503, 403, 403, 403, 403, 429, 502, 504, 500);
    }

    @Test
    void problemBody_followsRfc9457_withTheFailedCheck() {
        Deny deny = new Deny(Refusal.NOT_SUBSCRIBED, Check.SUBSCRIPTION, "application 'a' is not subscribed");

        assertThat(Problems.body(deny)).isEqualTo(new JsonObject()
                .put("type", "urn:gatehouse:problem:not_subscribed")
                .put("title", "The application is not subscribed to the API")
                .put("status", 403)
                .put("detail", "application 'a' is not subscribed")
                .put("check", "subscription"));
        assertThat(Problems.challenge(deny)).isNull();
    }

    @Test
    void unexpectedFailure_isA500WithoutInternals() {
        assertThat(Problems.body(Problems.internalError()).encode()).isEqualTo("{\"type\":\"urn:gatehouse:problem:"
                + "internal_error\",\"title\":\"The gateway failed to handle the request\",\"status\":500,"
                + "\"detail\":\"the gateway failed to handle the request; the failure is logged\","
                + "\"check\":\"gateway\"}");
    }

    @Test
    void errorDescription_keepsOnlyCharactersRfc6750Allows() {
        Deny deny = new Deny(Refusal.INVALID_TOKEN, Check.ISSUER, "the issuer 'a\"b\\c\u00e9\n' is not trusted");

        assertThat(Problems.challenge(deny)).isEqualTo("Bearer realm=\"gatehouse\", error=\"invalid_token\", "
                + "error_description=\"the issuer 'a?b?c??' is not trusted\"");
    }

    @Test
    void insufficientScopeChallenge_namesTheRequiredScopesSorted() {
        assertThat(Problems.challenge(Deny.insufficientScope(Set.of("urn:b", "urn:a"))))
                .isEqualTo("Bearer realm=\"gatehouse\", error=\"insufficient_scope\", error_description=\"the token "
                        + "carries none of the scopes this resource requires\", scope=\"urn:a urn:b\"");
    }
}
