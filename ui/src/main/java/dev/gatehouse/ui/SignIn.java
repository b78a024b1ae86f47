package dev.gatehouse.ui;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.jwt.JWTParser;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signs users in to the console and portal the way any web application signs in to an OpenID provider: the
 * authorization code flow with PKCE (S256), {@code state} and {@code nonce}, against the organization's built-in
 * identity provider, as its public client {@value #CLIENT_ID}.
 *
 * <p>The browser goes to the provider's public authorization endpoint; the code is redeemed at the token endpoint
 * over this server's internal address, so the console works wherever the public URL points (an ingress this pod
 * cannot reach, for instance). The ID token is checked in full (signature against the provider's JWKS, issuer,
 * audience, expiry and the nonce of this sign-in). Access tokens are renewed with the rotated refresh token shortly
 * before they expire, once per refresh token however many requests ask at once; when that fails the user signs in
 * again.
 */
final class SignIn {

    /** The client, callback and logout return the built-in identity provider registers for every organization. */
    static final String CLIENT_ID = "gatehouse-web";
    static final String CALLBACK_PATH = "/ui/callback";
    static final String SIGNED_OUT_PATH = "/ui/signed-out";
    private static final ClientID CLIENT = new ClientID(CLIENT_ID);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    private static final Duration RENEW_AHEAD = Duration.ofSeconds(30);

    /** What a sign-in in progress keeps in the session until the browser comes back. */
    record Pending(String org, String state, String nonce, String verifier, String returnTo) {

        JsonObject toJson() {
            return new JsonObject().put("org", org).put("state", state).put("nonce", nonce).put("verifier", verifier)
                    .put("returnTo", returnTo);
        }

        static Pending fromJson(JsonObject json) {
            return new Pending(json.getString("org"), json.getString("state"), json.getString("nonce"),
                    json.getString("verifier"), json.getString("returnTo"));
        }
    }

    /** The provider refused the sign-in, or its answer did not check out; the message is safe to show. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private final WebUiConfig config;
    private final ManagementClient management;
    private final Clock clock;
    private final Map<String, IDTokenValidator> validators = new ConcurrentHashMap<>();
    /**
     * Renewals by the refresh token they spend, kept a while after they end: a browser's requests that arrive
     * together, or with the session from before a renewal, all get its result instead of spending the rotated token
     * again, which the provider would take for theft and answer by revoking the whole family.
     */
    private final Cache<String, CompletableFuture<Visitor>> renewals = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofMinutes(2))
            .maximumSize(100_000)
            .build();

    SignIn(WebUiConfig config, ManagementClient management, Clock clock) {
        this.config = config;
        this.management = management;
        this.clock = clock;
    }

    /** Where to send the browser to sign in to {@code org}, and what to remember until it comes back. */
    Map.Entry<URI, Pending> begin(String org, String returnTo) {
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                CLIENT, callback())
                .endpointURI(URI.create(config.identityProvider(org) + "/authorize"))
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        return Map.entry(request.toURI(),
                new Pending(org, state.getValue(), nonce.getValue(), verifier.getValue(), returnTo));
    }

    /** Blocking: redeems the code the browser brought back and learns who signed in. */
    Visitor complete(Pending pending, String callbackQuery) throws Failed {
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(URI.create(callback() + "?" + callbackQuery));
        } catch (ParseException e) {
            throw new Failed("The identity provider's answer could not be read.");
        }
        if (response.getState() == null || !sameValue(response.getState().getValue(), pending.state())) {
            throw new Failed("This sign-in was not started here, or has already been used. Please sign in again.");
        }
        if (response instanceof AuthenticationErrorResponse error) {
            String description = error.getErrorObject().getDescription();
            throw new Failed("The identity provider refused the sign-in"
                    + (description == null ? "." : ": " + description));
        }
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        if (!(redeem(pending.org(), new AuthorizationCodeGrant(code, callback(),
                new CodeVerifier(pending.verifier()))) instanceof OIDCTokenResponse tokens)) {
            throw new Failed("The identity provider answered without an ID token.");
        }
        try {
            validator(pending.org()).validate(JWTParser.parse(tokens.getOIDCTokens().getIDTokenString()),
                    new Nonce(pending.nonce()));
        } catch (Exception e) {
            throw new Failed("The identity provider's ID token did not check out.");
        }
        String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();
        JsonObject me = management.as(accessToken).object("/me");
        RefreshToken refresh = tokens.getOIDCTokens().getRefreshToken();
        return new Visitor(pending.org(), me.getString("username"),
                me.getJsonArray("roles").stream().map(String::valueOf).toList(), accessToken,
                expiry(tokens.getOIDCTokens()), refresh == null ? null : refresh.getValue(),
                tokens.getOIDCTokens().getIDTokenString());
    }

    /**
     * Blocking: the visitor with a fresh access token when theirs is about to expire (or already has), renewed
     * with their refresh token; the same visitor while it is valid; null when it cannot be renewed.
     */
    Visitor fresh(Visitor visitor) {
        if (clock.instant().plus(RENEW_AHEAD).isBefore(visitor.expiresAt())) {
            return visitor;
        }
        if (visitor.refreshToken() == null) {
            return null;
        }
        CompletableFuture<Visitor> mine = new CompletableFuture<>();
        CompletableFuture<Visitor> renewal = renewals.asMap().putIfAbsent(visitor.refreshToken(), mine);
        if (renewal == null) {
            mine.complete(renew(visitor));
            renewal = mine;
        }
        return renewal.join();
    }

    /** Blocking: the visitor with tokens from a refresh, or null when the provider refuses it. */
    private Visitor renew(Visitor visitor) {
        try {
            Tokens tokens = redeem(visitor.org(), new RefreshTokenGrant(new RefreshToken(visitor.refreshToken())))
                    .getTokens();
            RefreshToken next = tokens.getRefreshToken();
            return visitor.withTokens(tokens.getAccessToken().getValue(), expiry(tokens),
                    next == null ? null : next.getValue());
        } catch (Failed | RuntimeException e) {
            return null;
        }
    }

    /** Where RP-initiated logout at the provider ends, back here. */
    URI signOut(Visitor visitor) {
        try {
            return new LogoutRequest(URI.create(config.identityProvider(visitor.org()) + "/logout"),
                    JWTParser.parse(visitor.idToken()), URI.create(config.publicUrl() + SIGNED_OUT_PATH), null)
                    .toURI();
        } catch (java.text.ParseException e) {
            return URI.create(config.publicUrl() + SIGNED_OUT_PATH);
        }
    }

    /** The provider's tokens for the grant: with an ID token ({@link OIDCTokenResponse}) when it gave one. */
    private AccessTokenResponse redeem(String org, AuthorizationGrant grant) throws Failed {
        TokenRequest request = new TokenRequest(URI.create(config.internalIdentityProvider(org) + "/token"), CLIENT,
                grant, null);
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(request.toHTTPRequest().send());
        } catch (IOException | ParseException e) {
            throw new Failed("The identity provider could not be reached to finish the sign-in.");
        }
        if (!response.indicatesSuccess()) {
            String description = response.toErrorResponse().getErrorObject().getDescription();
            throw new Failed("The identity provider refused the sign-in" + (description == null ? "." : ": " + description));
        }
        return response.toSuccessResponse();
    }

    private Instant expiry(Tokens tokens) {
        long lifetime = tokens.getAccessToken().getLifetime();
        return clock.instant().plusSeconds(lifetime > 0 ? lifetime : 300);
    }

    private IDTokenValidator validator(String org) {
        return validators.computeIfAbsent(org, handle -> {
            JWKSource<SecurityContext> keys;
            try {
                keys = JWKSourceBuilder.create(URI.create(config.internalIdentityProvider(handle) + "/jwks").toURL())
                        .retrying(true).build();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("organization handle " + handle, e);
            }
            return new IDTokenValidator(new Issuer(config.identityProvider(handle) + "/token"), CLIENT,
                    new JWSVerificationKeySelector<>(ALGORITHMS, keys), null);
        });
    }

    private URI callback() {
        return URI.create(config.publicUrl() + CALLBACK_PATH);
    }

    private static boolean sameValue(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
