package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.gatehouse.identity.BuiltInIdentityProvider.PasswordChange;
import dev.gatehouse.model.identity.AuditEvent;
import dev.gatehouse.model.identity.User;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-service password change: the current password is proven and throttled like a sign-in, and the user's
 * refresh tokens stop working; the Nimbus SDK plays the client that held them.
 */
class PasswordChangeTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";
    private static final String IP = "203.0.113.9";

    private IdpServer server;
    private Acme acme;
    private RegisteredClient mobile;

    @BeforeEach
    void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        mobile = server.write(tx -> server.idp.registerClient(tx, acme.org.id(), new ClientRegistration("Mobile",
                Set.of("password", "refresh_token"), Set.of(acme.read), true, null)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TokenResponse token(AuthorizationGrant grant) {
        try {
            return TokenResponse.parse(new TokenRequest(server.tokenEndpoint(acme.handle),
                    new ClientSecretBasic(new ClientID(mobile.client().clientId()), new Secret(mobile.clientSecret())),
                    grant, new Scope(acme.read)).toHTTPRequest().send());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private TokenResponse signIn(String password) {
        return token(new ResourceOwnerPasswordCredentialsGrant("alice", new Secret(password)));
    }

    private User alice() {
        return server.store.read(tx -> tx.users().find(acme.org.id(), "alice")).orElseThrow();
    }

    @Test
    void theRightCurrentPassword_changesIt_andEndsTheUsersRefreshTokens() {
        RefreshToken held = signIn(Acme.PASSWORD).toSuccessResponse().getTokens().getRefreshToken();

        PasswordChange outcome = server.idp.changePassword(alice(), Acme.PASSWORD, NEW_PASSWORD, IP);

        assertThat(outcome).isEqualTo(PasswordChange.CHANGED);
        assertThat(signIn(Acme.PASSWORD).indicatesSuccess()).isFalse();
        assertThat(signIn(NEW_PASSWORD).indicatesSuccess()).isTrue();
        assertThat(token(new RefreshTokenGrant(held)).toErrorResponse().getErrorObject().getCode())
                .isEqualTo("invalid_grant");
        List<AuditEvent> audited = server.store.read(tx -> tx.auditEvents().list(acme.org.id(), 50));
        assertThat(audited).extracting(AuditEvent::type).contains("password.changed");
        assertThat(audited).allSatisfy(event -> assertThat(event.toString()).doesNotContain(NEW_PASSWORD));
    }

    @Test
    void aWrongCurrentPassword_changesNothing_andRepeatedIsThrottled() {
        assertThat(server.idp.changePassword(alice(), "not my password", NEW_PASSWORD, IP))
                .isEqualTo(PasswordChange.WRONG_PASSWORD);
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            server.idp.changePassword(alice(), "not my password", NEW_PASSWORD, IP);
        }

        assertThat(server.idp.changePassword(alice(), Acme.PASSWORD, NEW_PASSWORD, IP))
                .as("even the right password waits once throttled").isEqualTo(PasswordChange.THROTTLED);
        server.clock.advance(Duration.ofMinutes(1));
        assertThat(signIn(Acme.PASSWORD).indicatesSuccess()).as("the password is unchanged").isTrue();
    }

    @Test
    void aNewPasswordThatBreaksTheRules_isRefusedNamingIt() {
        assertThatThrownBy(() -> server.idp.changePassword(alice(), Acme.PASSWORD, "short", IP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("newPassword must be at least");
    }
}
