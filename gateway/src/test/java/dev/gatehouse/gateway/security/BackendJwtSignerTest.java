package dev.gatehouse.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.snapshot.BackendSigningKey;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import dev.gatehouse.model.testing.TestClock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendJwtSignerTest {

    private static final ECKey KEY = Tokens.ecKey("gateway-1");
    private static final RoutedApi API = new RoutedApi("api-1", "acme", "Orders", "/orders", "v1", "http://b",
            Lifecycle.PUBLISHED, List.of(new RouteResource("GET", "/orders", Set.of())), false, Set.of());
    private static final ClientBinding CLIENT = new ClientBinding("idp-1", "client-1", "app-1", KeyType.PRODUCTION);
    private static final TrustedIssuer ISSUER = new TrustedIssuer("idp-1", "acme", "https://idp", "https://idp/jwks",
            ClaimMapping.DEFAULT, null);

    private final TestClock clock = new TestClock(TestClock.START);
    private final BackendJwtSigner signer = BackendJwtSigner.of(new BackendSigningKey("https://cp/gateway",
            KEY.toJSONString()), Environment.PRODUCTION, clock);

    private TokenCheck.Valid token(String subject, String scope) {
        return TokenCheck.Valid.of(ISSUER, Tokens.claims(clock, "https://idp", "client-1", scope).subject(subject)
                .build());
    }

    private static JWTClaimsSet verified(String jwt) throws Exception {
        SignedJWT signed = SignedJWT.parse(jwt);
        assertThat(signed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(signed.getHeader().getKeyID()).isEqualTo("gateway-1");
        assertThat(signed.verify(new ECDSAVerifier(KEY.toPublicJWK()))).isTrue();
        return signed.getJWTClaimsSet();
    }

    @Test
    void aCallersJwt_carriesItsClaims_andIsReusedForHalfItsLifetime() throws Exception {
        String first = signer.sign(API, CLIENT, token("alice", "b a"));
        String again = signer.sign(API, CLIENT, token("alice", "a b"));
        String otherCaller = signer.sign(API, CLIENT, token("bob", "a b"));
        clock.advance(Duration.ofSeconds(31));
        String later = signer.sign(API, CLIENT, token("alice", "a b"));

        JWTClaimsSet claims = verified(first);
        assertThat(claims.getIssuer()).isEqualTo("https://cp/gateway");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("/acme/orders/v1");
        assertThat(claims.getStringClaim("scope")).isEqualTo("a b");
        assertThat(claims.getStringClaim("application")).isEqualTo("app-1");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("client-1");
        assertThat(claims.getStringClaim("key_type")).isEqualTo("production");
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()).isEqualTo(60_000);
        assertThat(again).isEqualTo(first);
        assertThat(otherCaller).isNotEqualTo(first);
        assertThat(later).isNotEqualTo(first);
        assertThat(verified(later).getIssueTime()).isEqualTo(Date.from(clock.instant()));
    }

    @Test
    void anApiKeyCallsJwt_hasNoSubjectClientOrScopes() throws Exception {
        JWTClaimsSet claims = verified(signer.sign(API, CLIENT, null));

        assertThat(claims.getSubject()).isNull();
        assertThat(claims.getClaim("client_id")).isNull();
        assertThat(claims.getStringClaim("scope")).isEmpty();
        assertThat(claims.getStringClaim("application")).isEqualTo("app-1");
    }

    @Test
    void aKeyWithoutItsPrivatePart_isRefused() {
        assertThatThrownBy(() -> BackendJwtSigner.of(new BackendSigningKey("https://cp/gateway",
                KEY.toPublicJWK().toJSONString()), Environment.PRODUCTION, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the backend signing key has no private part");
    }
}
