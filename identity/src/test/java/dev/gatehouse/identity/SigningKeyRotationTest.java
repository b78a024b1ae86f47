package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing-key rotation with overlap, seen as a relying party sees it: tokens from the token endpoint (Nimbus OAuth
 * SDK as the client) checked by Nimbus's JWT processor against the JWKS the provider publishes at that moment.
 */
class SigningKeyRotationTest {

    private IdpServer server;
    private Acme acme;

    @BeforeEach
    void start() {
        server = IdpServer.start();
        acme = new Acme(server, "rotating");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String token() {
        try {
            TokenRequest request = new TokenRequest(server.tokenEndpoint(acme.handle),
                    new ClientSecretBasic(new ClientID(acme.service.client().clientId()),
                            new Secret(acme.service.clientSecret())),
                    new ClientCredentialsGrant(), Scope.parse(acme.read));
            return TokenResponse.parse(request.toHTTPRequest().send()).toSuccessResponse()
                    .getTokens().getAccessToken().getValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JWKSet published() throws Exception {
        return JWKSet.parse(server.get(server.idp.endpoints(acme.handle).jwksUri()).body());
    }

    /**
     * What a relying party does with the signature: verify it with the published key set, by the algorithms the keys
     * name. (Expiry is the test clock's, which this verifier does not share.)
     */
    private JWTClaimsSet verifiedByRelyingParty(String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> { });
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256), new ImmutableJWKSet<>(published())));
        return processor.process(token, null);
    }

    private SigningKeyState rotate(String algorithm, boolean immediately) {
        return server.write(tx -> server.idp.rotateSigningKey(tx, acme.org.id(), algorithm, immediately));
    }

    private List<SigningKeyState> states() {
        return server.write(tx -> server.idp.signingKeys(tx, acme.org.id()));
    }

    @Test
    void theNextKeyIsPublishedBeforeItSigns_andTheOldOneUntilItsTokensHaveExpired() throws Exception {
        server.clock.advance(Duration.ofSeconds(1));
        String kidBefore = SignedJWT.parse(token()).getHeader().getKeyID();

        SigningKeyState next = rotate("ES256", false);

        assertThat(next.state()).isEqualTo("next");
        assertThat(published().getKeyByKeyId(next.kid())).as("published at once").isNotNull();
        String stillOld = token();
        assertThat(SignedJWT.parse(stillOld).getHeader().getKeyID()).as("not signing yet").isEqualTo(kidBefore);

        server.clock.advance(SigningKeys.PUBLISH_AHEAD);
        String fresh = token();
        SignedJWT freshJwt = SignedJWT.parse(fresh);
        assertThat(freshJwt.getHeader().getKeyID()).isEqualTo(next.kid());
        assertThat(freshJwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(verifiedByRelyingParty(fresh).getSubject()).isNotNull();
        assertThat(verifiedByRelyingParty(stillOld).getSubject()).as("the old key is still published").isNotNull();
        assertThat(server.idp.verify(stillOld)).isPresent();
        assertThat(states()).extracting(SigningKeyState::state).containsExactly("retired", "signing");

        server.clock.advance(SigningKeys.KEEP_AFTER_RETIREMENT);
        assertThat(published().getKeyByKeyId(kidBefore)).as("withdrawn once its tokens have expired").isNull();
        assertThat(states()).extracting(SigningKeyState::kid).containsExactly(next.kid());
    }

    @Test
    void aRotationAfterACompromise_signsAtOnce_withEachAlgorithm() throws Exception {
        for (String algorithm : List.of("PS256", "ES256", "RS256")) {
            server.clock.advance(Duration.ofSeconds(1));
            SigningKeyState key = rotate(algorithm, true);
            server.clock.advance(Duration.ofSeconds(1));

            String token = token();

            assertThat(key.state()).isEqualTo("signing");
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid());
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
            assertThat(verifiedByRelyingParty(token).getSubject()).isNotNull();
            assertThat(server.idp.verify(token)).isPresent();
        }
    }

    @Test
    void aKeyNeverVerifiesATokenOfAnotherAlgorithm() throws Exception {
        server.clock.advance(Duration.ofSeconds(1));
        rotate("PS256", true);
        server.clock.advance(Duration.ofSeconds(1));
        SignedJWT ps256 = SignedJWT.parse(token());
        // The same RSA key, the same claims, but a header that says RS256: a confusion attempt.
        SignedJWT relabelled = new SignedJWT(ps256.getHeader().toBase64URL().decodeToString()
                .replace("PS256", "RS256").transform(header -> com.nimbusds.jose.util.Base64URL.encode(header)),
                ps256.getPayload().toBase64URL(), ps256.getSignature());

        assertThat(server.idp.verify(relabelled.serialize())).isEmpty();
    }

    @Test
    void anUnknownAlgorithm_isRefused() {
        assertThatThrownBy(() -> rotate("HS256", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RS256, PS256 or ES256");
    }
}
