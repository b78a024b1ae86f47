package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.StoreConflictException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operations the control plane composes into its own transactions. */
class ManagementTest {

    private static IdpServer server;
    private static Acme acme;
    private static BuiltInIdentityProvider idp;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        idp = server.idp;
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void provisioning_createsTheRolesTheCliClientASigningKeyAndTheBuiltInProvider() throws Exception {
        Organization org = server.createOrganization("initech");

        List<Role> roles = server.store.read(tx -> tx.roles().list(org.id()));
        OAuthClient cli = server.store.read(tx -> tx.oauthClients().findByClientId(org.id(), "gatehouse-cli"))
                .orElseThrow();
        List<SigningKey> keys = server.store.read(tx -> tx.signingKeys().list(org.id()));
        IdentityProvider builtIn = server.store.read(tx -> tx.identityProviders().builtIn(org.id())).orElseThrow();

        assertThat(roles).extracting(Role::name).containsExactly("admin", "publisher", "subscriber");
        assertThat(roles).allSatisfy(role -> assertThat(role.scopes()).isEmpty());
        assertThat(cli.confidential()).isFalse();
        assertThat(cli.grantTypes()).containsExactly("password");
        assertThat(cli.authorizedScopes()).isEmpty();
        assertThat(cli.accessTokenLifetime()).isEqualTo(IdpConfig.DEFAULT_ACCESS_TOKEN_LIFETIME);
        assertThat(keys).singleElement().satisfies(key -> {
            assertThat(key.active()).isTrue();
            assertThat(key.algorithm()).isEqualTo("RS256");
            RSAKey jwk = server.privateKey(key);
            assertThat(jwk.isPrivate()).isTrue();
            assertThat(jwk.size()).isEqualTo(2048);
            assertThat(jwk.getKeyID()).isEqualTo(key.kid());
        });
        assertThat(builtIn.builtIn()).isTrue();
    }

    @Test
    void createUser_storesAnArgon2HashNeverThePassword() {
        User user = server.write(tx -> idp.createUser(tx, acme.org.id(), "carol.smith@acme.test", "long enough",
                Set.of("reader", "publisher")));

        assertThat(user.passwordHash()).startsWith("$argon2id$").doesNotContain("long enough");
        assertThat(IdpServer.CHEAP_HASHER.verify("long enough", user.passwordHash())).isTrue();
        assertThat(user.roles()).containsExactlyInAnyOrder("reader", "publisher");
    }

    @Test
    void createUser_refusesAShortPasswordNamingTheField() {
        assertThatThrownBy(() -> server.write(tx -> idp.createUser(tx, acme.org.id(), "dave", "short", Set.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password must be at least 8 characters");
    }

    @Test
    void createUser_refusesABadUsernameNamingTheField() {
        for (String username : List.of("", "has space", "slash/y", "x".repeat(101))) {
            assertThatThrownBy(() -> server.write(tx -> idp.createUser(tx, acme.org.id(), username, "long enough",
                    Set.of())))
                    .as(username)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("username must be 1 to 100 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'");
        }
    }

    @Test
    void createUser_refusesAnUnknownRole() {
        assertThatThrownBy(() -> server.write(tx -> idp.createUser(tx, acme.org.id(), "erin", "long enough",
                Set.of("superuser"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown role 'superuser'");
    }

    @Test
    void createUser_twiceWithOneUsername_isAStoreConflict() {
        assertThatThrownBy(() -> server.write(tx -> idp.createUser(tx, acme.org.id(), "alice", "long enough",
                Set.of())))
                .isInstanceOf(StoreConflictException.class);
    }

    @Test
    void registerClient_confidential_returnsTheSecretOnceAndStoresOnlyItsHash() {
        RegisteredClient registered = server.write(tx -> idp.registerClient(tx, acme.org.id(),
                new ClientRegistration("Reports", Set.of("client_credentials"), Set.of(acme.read), true,
                        Duration.ofMinutes(5))));

        OAuthClient stored = server.store.read(tx -> tx.oauthClients()
                .findByClientId(acme.org.id(), registered.client().clientId())).orElseThrow();
        assertThat(registered.clientSecret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(registered.client().clientId()).matches("[A-Za-z0-9_-]{22}");
        assertThat(stored.secretHash()).startsWith("sha256:").doesNotContain(registered.clientSecret());
        assertThat(stored.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(stored.authorizedScopes()).containsExactly(acme.read);
        assertThat(registered.toString()).doesNotContain(registered.clientSecret());
    }

    @Test
    void registerClient_public_hasNoSecret() {
        RegisteredClient registered = server.write(tx -> idp.registerClient(tx, acme.org.id(),
                new ClientRegistration("SPA", Set.of("password"), Set.of(), false, null)));

        assertThat(registered.clientSecret()).isNull();
        assertThat(registered.client().confidential()).isFalse();
    }

    @Test
    void registerClient_refusesAScopeNoApiResourceDefinesNamingIt() {
        assertThatThrownBy(() -> server.write(tx -> idp.registerClient(tx, acme.org.id(),
                new ClientRegistration("Greedy", Set.of("password"), Set.of(acme.read, "urn:acme:payroll:read"),
                        true, null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("authorizedScopes: scope 'urn:acme:payroll:read' is not defined by any API resource "
                        + "of the organization");
    }

    @Test
    void clientRegistration_refusesWhatTheProviderCannotDo() {
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("implicit"), Set.of(), true, null))
                .hasMessage("grantTypes: unsupported grant type 'implicit' "
                        + "(supported: authorization_code, client_credentials, password, refresh_token, "
                        + "urn:ietf:params:oauth:grant-type:token-exchange, urn:ietf:params:oauth:grant-type:device_code)");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("refresh_token", "client_credentials"), Set.of(),
                true, null))
                .hasMessage("grantTypes: refresh_token needs authorization_code, password or "
                        + "urn:ietf:params:oauth:grant-type:device_code");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("authorization_code"), Set.of(), true, null))
                .hasMessage("redirectUris: authorization_code needs at least one redirect URI");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("authorization_code"), Set.of(), true, null,
                List.of("http://app.example/cb")))
                .hasMessage("redirectUris: 'http://app.example/cb' must be an https URI (or http on localhost) "
                        + "without a fragment, at most 2000 characters");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("authorization_code"), Set.of(), true, null,
                List.of("https://app.example/cb#top")))
                .hasMessage("redirectUris: 'https://app.example/cb#top' must be an https URI (or http on localhost) "
                        + "without a fragment, at most 2000 characters");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("authorization_code"), Set.of(), true, null,
                List.of("https://app.example/cb", "https://app.example/cb")))
                .hasMessage("redirectUris: each may be listed once");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("client_credentials"), Set.of(), false, null))
                .hasMessage("grantTypes: client_credentials needs a confidential client");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of(), Set.of(), true, null))
                .hasMessage("grantTypes must name at least one grant type");
        assertThatThrownBy(() -> new ClientRegistration(" ", Set.of("password"), Set.of(), true, null))
                .hasMessage("name must be 1 to 200 characters");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("password"), Set.of("has\"quote"), true, null))
                .hasMessage("authorizedScopes: 'has\"quote' is not a valid scope");
        assertThatThrownBy(() -> new ClientRegistration("X", Set.of("password"), Set.of(), true, Duration.ZERO))
                .hasMessage("accessTokenLifetime must be a whole number of seconds between 1 second and 24 hours, "
                        + "was PT0S");
    }

    @Test
    void idpConfig_refusesBadOptionsNamingThem() {
        assertThatThrownBy(() -> new IdpConfig("http://localhost:9090/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("publicBaseUrl must not end with '/', was 'http://localhost:9090/'");
        assertThatThrownBy(() -> new IdpConfig("localhost:9090"))
                .hasMessage("publicBaseUrl must be an http or https URL with a host, was 'localhost:9090'");
        assertThatThrownBy(() -> new IdpConfig("http://localhost:9090?x=1"))
                .hasMessage("publicBaseUrl must not have user info, a query or a fragment, "
                        + "was 'http://localhost:9090?x=1'");
        assertThatThrownBy(() -> new IdpConfig(null, null)).hasMessage("publicBaseUrl must be set");
        assertThatThrownBy(() -> new IdpConfig("http://localhost:9090", Duration.ofDays(2)))
                .hasMessage("defaultAccessTokenLifetime must be a whole number of seconds between 1 second and "
                        + "24 hours, was PT48H");
        assertThat(new IdpConfig("https://gatehouse.example.com/base", null).defaultAccessTokenLifetime())
                .isEqualTo(Duration.ofHours(1));
    }
}
