package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.gatehouse.model.identity.SigningKey;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MetadataTest {

    private static IdpServer server;
    private static Acme acme;
    private static String issuer;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        issuer = server.baseUrl + "/t/acme/oauth2/token";
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void endpoints_followAsgardeosLayout() {
        assertThat(server.idp.endpoints("acme")).isEqualTo(new Endpoints(
                issuer,
                issuer,
                server.baseUrl + "/t/acme/oauth2/jwks",
                server.baseUrl + "/t/acme/oauth2/token/.well-known/openid-configuration",
                server.baseUrl + "/t/acme/oauth2/authorize",
                server.baseUrl + "/t/acme/oauth2/userinfo",
                server.baseUrl + "/t/acme/oauth2/logout",
                server.baseUrl + "/t/acme/oauth2/introspect",
                server.baseUrl + "/t/acme/oauth2/revoke",
                server.baseUrl + "/t/acme/oauth2/device_authorization",
                server.baseUrl + "/t/acme/oauth2/device"));
    }

    @Test
    void openIdDiscovery_describesTheEndpointsGrantsAndKeys() throws Exception {
        HttpResponse<String> response = server.get(server.idp.endpoints("acme").discoveryUrl());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        Map<String, Object> document = IdpServer.json(response);
        assertThat(document)
                .containsEntry("issuer", issuer)
                .containsEntry("token_endpoint", issuer)
                .containsEntry("jwks_uri", server.baseUrl + "/t/acme/oauth2/jwks")
                .containsEntry("authorization_endpoint", server.baseUrl + "/t/acme/oauth2/authorize")
                .containsEntry("grant_types_supported",
                        List.of("authorization_code", "refresh_token", "password", "client_credentials",
                                "urn:ietf:params:oauth:grant-type:token-exchange",
                                "urn:ietf:params:oauth:grant-type:device_code"))
                .containsEntry("device_authorization_endpoint",
                        server.baseUrl + "/t/acme/oauth2/device_authorization")
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsEntry("response_modes_supported", List.of("query"))
                .containsEntry("token_endpoint_auth_methods_supported",
                        List.of("client_secret_basic", "client_secret_post", "none"))
                .containsEntry("response_types_supported", List.of("code"))
                .containsEntry("subject_types_supported", List.of("public"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("RS256", "PS256", "ES256"));
        OIDCProviderMetadata parsed = OIDCProviderMetadata.parse(response.body());
        assertThat(parsed.getIssuer().getValue()).isEqualTo(issuer);
        assertThat(parsed.getJWKSetURI()).isEqualTo(URI.create(server.baseUrl + "/t/acme/oauth2/jwks"));
    }

    @Test
    void rfc8414Metadata_isServedAtTheWellKnownPathInsertedBeforeTheIssuersPath() throws Exception {
        HttpResponse<String> discovery = server.get(server.idp.endpoints("acme").discoveryUrl());
        HttpResponse<String> response =
                server.get(server.baseUrl + "/.well-known/oauth-authorization-server/t/acme/oauth2/token");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IdpServer.json(response)).isEqualTo(IdpServer.json(discovery));
        AuthorizationServerMetadata parsed = AuthorizationServerMetadata.parse(response.body());
        assertThat(parsed.getIssuer().getValue()).isEqualTo(issuer);
        assertThat(parsed.getTokenEndpointURI()).isEqualTo(URI.create(issuer));
        assertThat(parsed.getDeviceAuthorizationEndpointURI())
                .isEqualTo(URI.create(server.baseUrl + "/t/acme/oauth2/device_authorization"));
    }

    @Test
    void jwks_publishesThePublicPartOfTheOrganizationsKey() throws Exception {
        SigningKey stored = server.signingKey(acme.org);

        HttpResponse<String> response = server.get(server.idp.endpoints("acme").jwksUri());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("public, max-age=300");
        JWKSet jwks = JWKSet.parse(response.body());
        assertThat(jwks.getKeys()).hasSize(1);
        JWK key = jwks.getKeys().getFirst();
        assertThat(key).isInstanceOf(RSAKey.class);
        assertThat(key.isPrivate()).isFalse();
        assertThat(response.body()).doesNotContain("\"d\"", "\"p\"", "\"q\"");
        assertThat(key.getKeyID()).isEqualTo(stored.kid());
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(((RSAKey) key).size()).isEqualTo(2048);
        assertThat(key).isEqualTo(server.privateKey(stored).toPublicJWK());
    }

    @Test
    void jwksAndDiscoveryOfAnUnknownOrganization_are404() {
        for (String url : List.of(
                server.baseUrl + "/t/nowhere/oauth2/jwks",
                server.baseUrl + "/t/nowhere/oauth2/token/.well-known/openid-configuration",
                server.baseUrl + "/.well-known/oauth-authorization-server/t/nowhere/oauth2/token")) {
            HttpResponse<String> response = server.get(url);

            assertThat(response.statusCode()).as(url).isEqualTo(404);
            assertThat(IdpServer.json(response)).as(url)
                    .isEqualTo(Map.of("error", "invalid_request", "error_description", "unknown organization"));
        }
    }

    @Test
    void organizationCreatedAfterAMiss_isServedAtOnce() {
        assertThat(server.get(server.baseUrl + "/t/latecomer/oauth2/jwks").statusCode()).isEqualTo(404);

        server.createOrganization("latecomer");

        assertThat(server.get(server.baseUrl + "/t/latecomer/oauth2/jwks").statusCode()).isEqualTo(200);
    }
}
