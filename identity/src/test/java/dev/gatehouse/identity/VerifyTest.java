package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.gatehouse.model.identity.SigningKey;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VerifyTest {

    private static IdpServer server;
    private static Acme acme;
    private static Acme globex;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        globex = new Acme(server, "globex");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void freshToken_isAcceptedWithItsOrganizationSubjectClientAndScopes() {
        String token = tokenFor(acme, acme.read + " " + acme.write);

        VerifiedToken verified = server.idp.verify(token).orElseThrow();

        assertThat(verified.orgHandle()).isEqualTo("acme");
        assertThat(verified.subject()).isEqualTo(acme.service.client().clientId());
        assertThat(verified.clientId()).isEqualTo(acme.service.client().clientId());
        assertThat(verified.scopes()).containsExactlyInAnyOrder(acme.read, acme.write);
        assertThat(verified.claims().getIssuer()).isEqualTo(server.idp.endpoints("acme").issuer());
    }

    @Test
    void tokenOfAnyOrganizationOnThisServer_isAcceptedWithThatOrganizationsKeys() {
        VerifiedToken verified = server.idp.verify(tokenFor(globex, globex.read)).orElseThrow();

        assertThat(verified.orgHandle()).isEqualTo("globex");
    }

    @Test
    void expiredToken_isRejectedOnceTheClockPassesExpiryAndTheSkew() {
        String token = tokenFor(acme, acme.read);
        try {
            server.clock.advance(IdpConfig.DEFAULT_ACCESS_TOKEN_LIFETIME);
            assertThat(server.idp.verify(token)).as("at exp, within the skew").isPresent();

            server.clock.advance(Duration.ofSeconds(AccessTokenVerifier.MAX_CLOCK_SKEW_SECONDS + 1));
            assertThat(server.idp.verify(token)).as("past exp and the skew").isEmpty();
        } finally {
            server.clock.advance(Duration.ofHours(-1).minusSeconds(AccessTokenVerifier.MAX_CLOCK_SKEW_SECONDS + 1));
        }
    }

    @Test
    void tokenNotYetValid_isRejected() {
        server.clock.advance(Duration.ofMinutes(5));
        String token;
        try {
            token = tokenFor(acme, acme.read);
        } finally {
            server.clock.advance(Duration.ofMinutes(-5));
        }

        assertThat(server.idp.verify(token)).isEmpty();
    }

    @Test
    void tamperedPayload_isRejected() throws Exception {
        SignedJWT jwt = SignedJWT.parse(tokenFor(acme, acme.read));
        JWTClaimsSet widened = new JWTClaimsSet.Builder(jwt.getJWTClaimsSet())
                .claim("scope", acme.read + " " + acme.write)
                .build();
        String tampered = jwt.getHeader().toBase64URL() + "." + Base64URL.encode(widened.toString()) + "."
                + jwt.getSignature();

        assertThat(server.idp.verify(tampered)).isEmpty();
    }

    @Test
    void tokenFromAnotherIssuerSignedWithAKnownKey_isRejected() throws Exception {
        SigningKey acmeKey = server.signingKey(acme.org);
        JWTClaimsSet claims = new JWTClaimsSet.Builder(validClaims("acme"))
                .issuer("https://idp.example.com/t/acme/oauth2/token")
                .build();

        assertThat(server.idp.verify(sign(server.privateKey(acmeKey), claims))).isEmpty();
    }

    @Test
    void tokenSignedWithOneOrganizationsKeyNamingAnotherAsIssuer_isRejected() throws Exception {
        SigningKey acmeKey = server.signingKey(acme.org);

        assertThat(server.idp.verify(sign(server.privateKey(acmeKey), validClaims("globex")))).isEmpty();
        assertThat(server.idp.verify(sign(server.privateKey(acmeKey), validClaims("acme"))))
                .as("the same token for its own organization")
                .isPresent();
    }

    @Test
    void tokenSignedWithAForeignKeyUnderAKnownKid_isRejected() throws Exception {
        SigningKey acmeKey = server.signingKey(acme.org);
        RSAKey foreign = new RSAKeyGenerator(2048).keyID(acmeKey.kid()).generate();

        assertThat(server.idp.verify(sign(foreign, validClaims("acme")))).isEmpty();
    }

    @Test
    void tokenWithoutTheAccessTokenType_isRejected() throws Exception {
        SigningKey acmeKey = server.signingKey(acme.org);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(acmeKey.kid()).build(),
                validClaims("acme"));
        jwt.sign(new RSASSASigner(server.privateKey(acmeKey)));

        assertThat(server.idp.verify(jwt.serialize())).isEmpty();
    }

    @Test
    void unsignedAndHmacTokens_areRejected() throws Exception {
        SigningKey acmeKey = server.signingKey(acme.org);
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(acmeKey.kid())
                .type(new JOSEObjectType("at+jwt")).build(), validClaims("acme"));
        hmac.sign(new MACSigner(new byte[32]));

        assertThat(server.idp.verify(new PlainJWT(validClaims("acme")).serialize())).isEmpty();
        assertThat(server.idp.verify(hmac.serialize())).isEmpty();
    }

    @Test
    void keyAddedAfterTheOrganizationsKeysWereCached_signsNewTokensThatVerifyAfterOneReload() throws Exception {
        Acme rotating = new Acme(server, "rotating");
        String oldToken = tokenFor(rotating, rotating.read);
        assertThat(server.idp.verify(oldToken)).isPresent();
        server.clock.advance(Duration.ofSeconds(1));
        SigningKey added = new SigningKeys(server.store, server.masterKey, server.clock).generate(rotating.org.id());
        server.write(tx -> {
            tx.signingKeys().add(added);
            return null;
        });
        server.clock.advance(Duration.ofSeconds(1));

        String newToken = tokenFor(rotating, rotating.read);

        assertThat(SignedJWT.parse(newToken).getHeader().getKeyID()).isEqualTo(added.kid());
        assertThat(server.idp.verify(newToken)).as("unknown kid reloads the keys").isPresent();
        assertThat(server.idp.verify(oldToken)).as("the older key still verifies").isPresent();
    }

    @Test
    void garbage_isRejectedWithoutAnException() {
        assertThat(server.idp.verify(null)).isEmpty();
        assertThat(server.idp.verify("")).isEmpty();
        assertThat(server.idp.verify("not.a.jwt")).isEmpty();
        assertThat(server.idp.verify("x".repeat(20_000))).isEmpty();
    }

    private static String tokenFor(Acme org, String scope) {
        try {
            TokenRequest request = new TokenRequest(server.tokenEndpoint(org.handle),
                    new ClientSecretBasic(new ClientID(org.service.client().clientId()),
                            new Secret(org.service.clientSecret())),
                    new ClientCredentialsGrant(), Scope.parse(scope));
            return TokenResponse.parse(request.toHTTPRequest().send()).toSuccessResponse()
                    .getTokens().getAccessToken().getValue();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JWTClaimsSet validClaims(String orgHandle) {
        Date now = Date.from(server.clock.instant());
        return new JWTClaimsSet.Builder()
                .issuer(server.idp.endpoints(orgHandle).issuer())
                .subject("someone")
                .claim("client_id", "some-client")
                .issueTime(now)
                .notBeforeTime(now)
                .expirationTime(Date.from(server.clock.instant().plusSeconds(60)))
                .jwtID("jti-1")
                .build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
