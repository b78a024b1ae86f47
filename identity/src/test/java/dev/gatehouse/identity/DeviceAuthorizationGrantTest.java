package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.gatehouse.model.identity.AuditEvent;
import dev.gatehouse.model.identity.DeviceAuthorization;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8628 device authorization, driven by the Nimbus OAuth SDK's client classes as a CLI would drive it, and a
 * browser in which the user enters the code, signs in and approves or denies the device on the server's own pages.
 */
class DeviceAuthorizationGrantTest {

    private static final String USER_CODE = "[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}";

    private static IdpServer server;
    private static Acme acme;
    /** Public; device code and refresh token; orders read and write, stock read. */
    private static RegisteredClient cli;
    /** Confidential; device code only; orders read. */
    private static RegisteredClient tv;

    @BeforeAll
    static void start() {
        server = IdpServer.start();
        acme = new Acme(server, "acme");
        cli = register(server, acme, "Acme CLI", false, Set.of(ClientRegistration.DEVICE_CODE,
                ClientRegistration.REFRESH_TOKEN), Set.of(acme.read, acme.write, acme.stockRead));
        tv = register(server, acme, "Acme TV", true, Set.of(ClientRegistration.DEVICE_CODE), Set.of(acme.read));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void cli_getsCodes_userApprovesInTheBrowser_andTheCliRedeemsThemOnceForTheCodeFlowsTokens() throws Exception {
        DeviceAuthorizationSuccessResponse codes = authorize(server, cli, new Scope("openid", "profile", acme.read,
                acme.write)).toSuccessResponse();

        Endpoints endpoints = server.idp.endpoints("acme");
        String userCode = codes.getUserCode().getValue();
        assertThat(userCode).matches(USER_CODE);
        assertThat(codes.getDeviceCode().getValue()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(codes.getVerificationURI()).isEqualTo(URI.create(endpoints.deviceVerificationUri()));
        assertThat(codes.getVerificationURIComplete())
                .isEqualTo(URI.create(endpoints.deviceVerificationUri() + "?user_code=" + userCode));
        assertThat(codes.getLifetime()).isEqualTo(600);
        assertThat(codes.getInterval()).isEqualTo(5);
        Optional<DeviceAuthorization> stored = server.store.read(tx -> tx.deviceAuthorizations()
                .findByDeviceCode(acme.org.id(), ClientSecrets.hash(codes.getDeviceCode().getValue())));
        assertThat(stored).as("stored by its hash only").isPresent();
        assertThat(error(poll(cli, codes.getDeviceCode()))).isEqualTo("400 authorization_pending");

        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(codes.getVerificationURIComplete());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.body()).contains("Connect a device", "value=\"" + userCode + "\"");
        HttpResponse<String> login = browser.submit(page,
                Map.of("code", userCode.replace("-", "").toLowerCase(Locale.ROOT)));
        assertThat(login.body()).contains("Sign in", "Acme CLI", userCode);
        HttpResponse<String> consent = browser.submit(login, Map.of("username", "bob", "password", Acme.PASSWORD));
        assertThat(consent.body()).contains("Allow access", "Acme CLI", userCode, acme.read, acme.write);
        HttpResponse<String> done = browser.submit(consent, Map.of("action", "allow"));
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).contains(DeviceVerificationEndpoint.APPROVED);

        server.clock.advance(Duration.ofSeconds(5));
        TokenResponse response = poll(cli, codes.getDeviceCode());
        assertThat(response.indicatesSuccess()).as(String.valueOf(response)).isTrue();
        OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();
        JWTClaimsSet access = server.idp.verify(tokens.getOIDCTokens().getAccessToken().getValue()).orElseThrow()
                .claims();
        assertThat(access.getSubject()).isEqualTo(acme.bob.id());
        assertThat(access.getStringClaim("client_id")).isEqualTo(cli.client().clientId());
        assertThat(Set.of(access.getStringClaim("scope").split(" ")))
                .containsExactlyInAnyOrder("openid", "profile", acme.read, acme.write);
        assertThat(tokens.getOIDCTokens().getRefreshToken()).isNotNull();
        JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertThat(id.getSubject()).isEqualTo(acme.bob.id());
        assertThat(id.getAudience()).containsExactly(cli.client().clientId());
        assertThat(id.getStringClaim("preferred_username")).isEqualTo("bob");

        assertThat(error(poll(cli, codes.getDeviceCode()))).as("redeemed already").isEqualTo("400 invalid_grant");
        List<AuditEvent> events = server.store.read(tx -> tx.auditEvents().list(acme.org.id(), 50));
        assertThat(events).extracting(AuditEvent::type).contains("device.requested", "device.authorized");
        assertThat(events).allSatisfy(event -> assertThat(String.valueOf(event))
                .doesNotContain(codes.getDeviceCode().getValue(), userCode, Acme.PASSWORD));
    }

    @Test
    void pollingSoonerThanTheInterval_isSlowDown_andTheIntervalGrowsBy5SecondsForGood() {
        DeviceCode code = authorize(server, cli, new Scope(acme.read)).toSuccessResponse().getDeviceCode();

        String first = error(poll(cli, code));
        server.clock.advance(Duration.ofSeconds(2));
        String tooSoon = error(poll(cli, code));
        server.clock.advance(Duration.ofSeconds(10));
        String afterTheLongerInterval = error(poll(cli, code));
        server.clock.advance(Duration.ofSeconds(5));
        String afterTheOldInterval = error(poll(cli, code));
        server.clock.advance(Duration.ofSeconds(15));
        String afterWaitingLongerStill = error(poll(cli, code));

        assertThat(first).isEqualTo("400 authorization_pending");
        assertThat(tooSoon).isEqualTo("400 slow_down");
        assertThat(afterTheLongerInterval).isEqualTo("400 authorization_pending");
        assertThat(afterTheOldInterval).isEqualTo("400 slow_down");
        assertThat(afterWaitingLongerStill).isEqualTo("400 authorization_pending");
        DeviceAuthorization stored = server.store.read(tx -> tx.deviceAuthorizations()
                .findByDeviceCode(acme.org.id(), ClientSecrets.hash(code.getValue()))).orElseThrow();
        assertThat(stored.interval()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void userDenies_theDeviceIsRefusedWithAccessDenied() {
        DeviceAuthorizationSuccessResponse codes = authorize(server, cli, new Scope(acme.write)).toSuccessResponse();

        HttpResponse<String> done = decide(new Browser(), codes.getUserCode().getValue(), "bob", "deny");

        assertThat(done.body()).contains(DeviceVerificationEndpoint.DENIED);
        assertThat(error(poll(cli, codes.getDeviceCode()))).isEqualTo("400 access_denied");
        List<AuditEvent> events = server.store.read(tx -> tx.auditEvents().list(acme.org.id(), 50));
        assertThat(events).extracting(AuditEvent::type).contains("device.denied");
    }

    @Test
    void afterTenMinutes_theDeviceCodeIsExpiredToken_andTheUserCodeIsRefusedAsExpired() {
        DeviceAuthorizationSuccessResponse codes = authorize(server, cli, new Scope(acme.read)).toSuccessResponse();
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(codes.getVerificationURI());

        server.clock.advance(DeviceAuthorizationEndpoint.LIFETIME);

        assertThat(error(poll(cli, codes.getDeviceCode()))).isEqualTo("400 expired_token");
        HttpResponse<String> refused = browser.submit(page, Map.of("code", codes.getUserCode().getValue()));
        assertThat(refused.body()).contains(DeviceVerificationEndpoint.EXPIRED_CODE).doesNotContain("password");
    }

    @Test
    void anotherClientsDeviceCode_isInvalidGrant() {
        DeviceAuthorizationSuccessResponse codes = authorize(server, cli, new Scope(acme.read)).toSuccessResponse();
        decide(new Browser(), codes.getUserCode().getValue(), "alice", "allow");

        assertThat(error(poll(tv, codes.getDeviceCode()))).isEqualTo("400 invalid_grant");
        assertThat(poll(cli, codes.getDeviceCode()).indicatesSuccess()).as("still the rightful client's").isTrue();
    }

    @Test
    void aConfidentialClient_authenticatesWithItsSecret_andGetsWhatTheUserMayHave() throws Exception {
        DeviceAuthorizationSuccessResponse codes = authorize(server, tv, new Scope(acme.read, acme.write))
                .toSuccessResponse();
        decide(new Browser(), codes.getUserCode().getValue(), "alice", "allow");

        TokenResponse response = poll(tv, codes.getDeviceCode());

        assertThat(response.indicatesSuccess()).isTrue();
        assertThat(response.toSuccessResponse().getTokens().getRefreshToken()).isNull();
        assertThat(server.idp.verify(response.toSuccessResponse().getTokens().getAccessToken().getValue())
                .orElseThrow().claims().getStringClaim("scope")).isEqualTo(acme.read);
        assertThat(errorOf(authorize(server, tv.client().clientId(), "wrong-secret", new Scope(acme.read))))
                .isEqualTo("401 invalid_client");
    }

    @Test
    void aClientNotRegisteredForTheGrant_isUnauthorizedClient_atBothEndpoints() {
        DeviceAuthorizationResponse refused = authorize(server, acme.publicApp, new Scope(acme.read));
        DeviceCode code = authorize(server, cli, new Scope(acme.read)).toSuccessResponse().getDeviceCode();

        assertThat(errorOf(refused)).isEqualTo("400 unauthorized_client");
        assertThat(error(poll(acme.app, code))).isEqualTo("400 unauthorized_client");
    }

    @Test
    void anUnknownScope_isInvalidScope() {
        ErrorObject error = authorize(server, cli, new Scope(acme.read, "urn:acme:payroll:read")).toErrorResponse()
                .getErrorObject();

        assertThat(error.getHTTPStatusCode()).isEqualTo(400);
        assertThat(error.getCode()).isEqualTo("invalid_scope");
        assertThat(error.getDescription()).isEqualTo("unknown scope 'urn:acme:payroll:read'");
    }

    @Test
    void aWrongUserCode_isRefusedWithAMessage_andApprovesNothing() {
        DeviceAuthorizationSuccessResponse codes = authorize(server, cli, new Scope(acme.read)).toSuccessResponse();
        String wrong = codes.getUserCode().getValue().startsWith("B") ? "CCCC-CCCC" : "BBBB-BBBB";
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(codes.getVerificationURI());

        HttpResponse<String> unknown = browser.submit(page, Map.of("code", wrong));
        HttpResponse<String> malformed = browser.submit(page, Map.of("code", "hello"));

        for (HttpResponse<String> response : List.of(unknown, malformed)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains(DeviceVerificationEndpoint.UNKNOWN_CODE).doesNotContain("password");
        }
        HttpResponse<String> signIn = browser.submit(page, Map.of("code", wrong, "action", "login",
                "username", "bob", "password", Acme.PASSWORD));
        assertThat(signIn.body()).contains(DeviceVerificationEndpoint.UNKNOWN_CODE);
        assertThat(error(poll(cli, codes.getDeviceCode()))).isEqualTo("400 authorization_pending");
    }

    @Test
    void guessingUserCodes_isThrottledPerAddress() {
        try (IdpServer own = IdpServer.start()) {
            Acme org = new Acme(own, "acme");
            RegisteredClient client = register(own, org, "CLI", false, Set.of(ClientRegistration.DEVICE_CODE),
                    Set.of(org.read));
            String userCode = authorize(own, client, new Scope(org.read)).toSuccessResponse().getUserCode()
                    .getValue();
            String wrong = userCode.startsWith("B") ? "CCCC-CCCC" : "BBBB-BBBB";
            Browser browser = new Browser();
            HttpResponse<String> page = browser.get(URI.create(own.idp.endpoints("acme").deviceVerificationUri()));
            for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
                browser.submit(page, Map.of("code", wrong));
            }

            HttpResponse<String> rightCodeTooSoon = browser.submit(page, Map.of("code", userCode));
            own.clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> rightCodeLater = browser.submit(page, Map.of("code", userCode));

            assertThat(rightCodeTooSoon.body()).contains(DeviceVerificationEndpoint.TOO_MANY_CODES)
                    .doesNotContain("password");
            assertThat(rightCodeLater.body()).contains("Sign in", "password");
        }
    }

    @Test
    void wrongPasswordAndUnknownUser_showTheSameGenericMessage() {
        String userCode = authorize(server, cli, new Scope(acme.read)).toSuccessResponse().getUserCode().getValue();
        Browser browser = new Browser();
        HttpResponse<String> login = browser.submit(browser.get(URI.create(
                server.idp.endpoints("acme").deviceVerificationUri())), Map.of("code", userCode));

        HttpResponse<String> wrongPassword = browser.submit(login, Map.of("username", "alice", "password", "nope"));
        HttpResponse<String> unknownUser = browser.submit(login, Map.of("username", "mallory", "password", "nope"));

        assertThat(wrongPassword.body()).contains(AuthorizationEndpoint.INVALID_CREDENTIALS);
        assertThat(wrongPassword.body().replace("alice", "mallory")).isEqualTo(unknownUser.body());
    }

    @Test
    void formsWithoutTheCookiesCsrfToken_andForgedTickets_areRefused() {
        String userCode = authorize(server, cli, new Scope(acme.write)).toSuccessResponse().getUserCode().getValue();
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(URI.create(server.idp.endpoints("acme").deviceVerificationUri()));

        HttpResponse<String> otherBrowser = new Browser().submit(page, Map.of("code", userCode));
        HttpResponse<String> consent = browser.submit(browser.submit(page, Map.of("code", userCode)),
                Map.of("username", "bob", "password", Acme.PASSWORD));
        String ticket = Browser.hiddenFields(consent.body()).get("ticket");
        HttpResponse<String> forged = browser.submit(consent, Map.of("action", "allow",
                "ticket", ticket.substring(0, ticket.length() - 4) + "AAAA"));

        assertThat(otherBrowser.statusCode()).isEqualTo(403);
        assertThat(otherBrowser.body()).contains(DeviceVerificationEndpoint.EXPIRED_FORM);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains(DeviceVerificationEndpoint.EXPIRED_FORM);
    }

    @Test
    void concurrentPollsOfAnApprovedCode_redeemItExactlyOnce() throws Exception {
        DeviceAuthorizationSuccessResponse codes = authorize(server, cli, new Scope(acme.read)).toSuccessResponse();
        decide(new Browser(), codes.getUserCode().getValue(), "alice", "allow");
        int polls = 4;
        CountDownLatch ready = new CountDownLatch(polls);
        Callable<TokenResponse> poll = () -> {
            ready.countDown();
            ready.await();
            return poll(cli, codes.getDeviceCode());
        };

        List<TokenResponse> responses;
        try (ExecutorService threads = Executors.newFixedThreadPool(polls)) {
            List<Future<TokenResponse>> futures = threads.invokeAll(java.util.Collections.nCopies(polls, poll));
            responses = futures.stream().map(DeviceAuthorizationGrantTest::get).toList();
        }

        assertThat(responses).filteredOn(TokenResponse::indicatesSuccess).hasSize(1);
        assertThat(responses).filteredOn(response -> !response.indicatesSuccess())
                .extracting(DeviceAuthorizationGrantTest::error).containsOnly("400 invalid_grant");
    }

    private static RegisteredClient register(IdpServer server, Acme org, String name, boolean confidential,
                                             Set<String> grantTypes, Set<String> scopes) {
        return server.write(tx -> server.idp.registerClient(tx, org.org.id(),
                new ClientRegistration(name, grantTypes, scopes, confidential, null)));
    }

    private static DeviceAuthorizationResponse authorize(IdpServer server, RegisteredClient client, Scope scope) {
        return authorize(server, client.client().clientId(), client.clientSecret(), scope);
    }

    private static DeviceAuthorizationResponse authorize(IdpServer server, String clientId, String secret,
                                                         Scope scope) {
        URI endpoint = URI.create(server.idp.endpoints("acme").deviceAuthorizationEndpoint());
        DeviceAuthorizationRequest request = secret == null
                ? new DeviceAuthorizationRequest(endpoint, new ClientID(clientId), scope)
                : new DeviceAuthorizationRequest(endpoint,
                        new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), scope, null);
        try {
            return DeviceAuthorizationResponse.parse(request.toHTTPRequest().send());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static TokenResponse poll(RegisteredClient client, DeviceCode code) {
        URI endpoint = server.tokenEndpoint("acme");
        TokenRequest request = client.clientSecret() == null
                ? new TokenRequest(endpoint, new ClientID(client.client().clientId()), new DeviceCodeGrant(code))
                : new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(client.client().clientId()),
                        new Secret(client.clientSecret())), new DeviceCodeGrant(code));
        try {
            HTTPRequest http = request.toHTTPRequest();
            return OIDCTokenResponseParser.parse(http.send());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Enters the code in the browser, signs the user in and allows or denies the device. */
    private static HttpResponse<String> decide(Browser browser, String userCode, String username, String action) {
        HttpResponse<String> page = browser.get(URI.create(server.idp.endpoints("acme").deviceVerificationUri()));
        HttpResponse<String> login = browser.submit(page, Map.of("code", userCode));
        HttpResponse<String> consent = browser.submit(login, Map.of("username", username, "password",
                Acme.PASSWORD));
        assertThat(consent.body()).contains("Allow access");
        return browser.submit(consent, Map.of("action", action));
    }

    private static String error(TokenResponse response) {
        assertThat(response.indicatesSuccess()).as("a refusal").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        return error.getHTTPStatusCode() + " " + error.getCode();
    }

    private static String errorOf(DeviceAuthorizationResponse response) {
        assertThat(response.indicatesSuccess()).as("a refusal").isFalse();
        ErrorObject error = response.toErrorResponse().getErrorObject();
        return error.getHTTPStatusCode() + " " + error.getCode();
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
