package dev.gatehouse.identity;

import com.nimbusds.common.contenttype.ContentType;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.PlainClientSecret;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.gatehouse.model.identity.ApiResource;
import dev.gatehouse.model.identity.AuthorizationCode;
import dev.gatehouse.model.identity.DeviceAuthorization;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.RefreshToken;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint of every organization ({@code POST /t/{org}/oauth2/token}): RFC 6749's authorization_code
 * (with PKCE, RFC 7636), refresh_token (rotated, RFC 6749 section 6), password and client_credentials grants, RFC
 * 8693 token exchange and the RFC 8628 device code grant, issuing RFC 9068 JWT access tokens and, to clients
 * registered for it, refresh tokens. A request with a valid DPoP proof (RFC 9449) gets its access token bound to the
 * proof's key ({@code cnf.jkt}, {@code token_type} DPoP), on every grant.
 *
 * <p><b>What it guarantees.</b> A token goes only to an authenticated client, for a grant type that client is
 * registered for, and carries no scope beyond what was requested, what the client is authorized for and, for a
 * user, what the user's roles allow; scopes the request names that no API resource of the organization defines
 * are refused ({@code invalid_scope}), scopes known but not granted are dropped, and the response says what was
 * granted (RFC 6749 section 3.3). Every refusal is a section 5.2 error rendered by {@link TokenRefusal}, with a
 * fixed description: an unknown client, a wrong secret and a missing client authentication read the same, and so
 * do an unknown user and a wrong password, which also cost the same, one Argon2 computation either way. Nothing
 * secret is logged: no password, client secret or token. A DPoP proof is checked ({@link DpopProofs}) once the
 * client is authenticated and before the grant is looked at: a bad proof is {@code invalid_dpop_proof} and costs no
 * code or refresh token; a client registered with {@code dpop_bound_access_tokens} gets {@code invalid_request}
 * without one; a public client's refresh token obtained with a proof is redeemed only with a proof of the same key.
 *
 * <p><b>Why it is built so.</b> The Nimbus OAuth SDK parses the request and writes the responses, so the fine
 * print of the protocol (URL-encoded Basic credentials, repeated parameters, conflicting client authentication
 * methods) is handled by code the Java ecosystem exercises every day. One liberty is taken with RFC 6749, on
 * purpose: parameters may come in the query string of the POST as well as in the form body, because Asgardeo
 * accepts that and the guide's curl does it. Both are merged into one form body before Nimbus sees the request,
 * so a parameter given in both places counts as given twice and is refused. A client secret in the URL is still
 * refused (RFC 6749 section 2.3.1): every proxy on the way would log it.
 *
 * <p>Everything a request needs from the store (client, user and what the user's roles allow, the API resources,
 * the active signing key) is read in one read, by client ID and username, before any check: the checks, Argon2
 * and the RSA signature then run with no connection held, so a burst of logins cannot drain the pool.
 *
 * <p><b>What it costs.</b> Per request: one cached organization lookup, one store read of five small queries,
 * an Argon2 verification for the password grant (tens of milliseconds with the default parameters, by design) and
 * one RSA 2048 signature (about a millisecond). It blocks, so it runs on a worker thread.
 */
final class TokenEndpoint {

    /** How much longer a device must wait between polls after each that came too soon (RFC 8628 section 3.5). */
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    /** How long a refresh token can be exchanged; each rotation starts a new one. */
    static final Duration REFRESH_TOKEN_LIFETIME = Duration.ofDays(14);

    /** Scopes a client may ask for although no API resource defines them. */
    static final Set<String> OPENID_SCOPES = Set.of("openid", "profile", "email");

    /**
     * The OpenID Connect scopes granted, in the code flow only, to any client and user without authorization:
     * they reveal the user's ID and username to the client the user signs in to. {@code email} is not, for users
     * have no e-mail address yet.
     */
    static final Set<String> IDENTITY_SCOPES = Set.of("openid", "profile");

    /** Those of {@code scopes} that {@code allowed} contains, and the identity scopes. */
    static Set<String> grantable(Set<String> scopes, Set<String> allowed) {
        Set<String> granted = new TreeSet<>(scopes);
        granted.removeIf(scope -> !IDENTITY_SCOPES.contains(scope) && !allowed.contains(scope));
        return granted;
    }

    private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);

    private final Store store;
    private final IdpConfig config;
    private final PasswordHasher hasher;
    private final SigningKeys keys;
    private final ClientSecrets secrets;
    private final AccessTokenVerifier verifier;
    private final OpaqueTokenStore opaqueTokens;
    private final LoginThrottle throttle;
    private final Audit audit;
    private final DpopProofs dpop;
    private final Clock clock;

    TokenEndpoint(Store store, IdpConfig config, PasswordHasher hasher, SigningKeys keys, ClientSecrets secrets,
                  AccessTokenVerifier verifier, OpaqueTokenStore opaqueTokens, LoginThrottle throttle, Audit audit,
                  DpopProofs dpop, Clock clock) {
        this.dpop = dpop;
        this.verifier = verifier;
        this.opaqueTokens = opaqueTokens;
        this.throttle = throttle;
        this.audit = audit;
        this.store = store;
        this.config = config;
        this.hasher = hasher;
        this.keys = keys;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Answers one token request. Never throws: a bad request becomes an OAuth error response, a failure of the
     * server a {@code server_error} without details (which go to the log).
     *
     * @param rawQuery      the request URL's query string, still encoded; may be null
     * @param authorization the Authorization header; may be null
     * @param contentType   the Content-Type header; may be null when there is no body
     * @param body          the request body; may be null
     * @param dpopProofs    the values of the DPoP headers (RFC 9449); empty when there are none
     * @param clientIp      the caller's address, for brute-force protection
     */
    HTTPResponse handle(String orgHandle, String rawQuery, String authorization, String contentType, String body,
                        List<String> dpopProofs, String clientIp) {
        try {
            return issue(orgHandle, rawQuery, authorization, contentType, body, dpopProofs, clientIp);
        } catch (TokenRefusal refusal) {
            log.debug("token request to {} refused: {}", orgHandle, refusal.code());
            return refusal.toHTTPResponse();
        } catch (RuntimeException e) {
            log.error("token request to organization {} failed", orgHandle, e);
            return TokenRefusal.serverError().toHTTPResponse();
        }
    }

    private HTTPResponse issue(String orgHandle, String rawQuery, String authorization, String contentType,
                               String body, List<String> dpopProofs, String clientIp) {
        SigningKeys.OrgKeys org = keys.ofOrganization(orgHandle).orElseThrow(TokenRefusal::unknownOrganization);
        Endpoints endpoints = Endpoints.of(config.publicBaseUrl(), orgHandle);
        TokenRequest request = parse(formRequest(URI.create(endpoints.tokenEndpoint()), rawQuery, authorization, contentType, body));

        AuthorizationGrant grant = request.getAuthorizationGrant();
        String grantType = grant.getType().getValue();
        if (!ClientRegistration.SUPPORTED_GRANT_TYPES.contains(grantType)) {
            throw TokenRefusal.unsupportedGrantType();
        }
        ClientAuthentication clientAuth = request.getClientAuthentication();
        ClientID clientId = clientAuth != null ? clientAuth.getClientID() : request.getClientID();
        if (clientId == null) {
            throw TokenRefusal.invalidClient();
        }
        String username = grant instanceof ResourceOwnerPasswordCredentialsGrant password
                ? password.getUsername() : null;
        Facts facts = store.read(tx -> Facts.load(tx, org.orgId(), clientId.getValue(), username, clock.instant()));

        OAuthClient client = authenticate(clientAuth, facts.client());
        if (!client.grantTypes().contains(grantType)) {
            throw TokenRefusal.unauthorizedClient(grantType);
        }
        Binding binding = bind(endpoints, client, dpopProofs);
        if (grant instanceof AuthorizationCodeGrant codeGrant) {
            return redeem(endpoints, org, client, codeGrant, facts, binding);
        }
        if (grant instanceof RefreshTokenGrant refreshGrant) {
            return refresh(endpoints, org, client, refreshGrant, request.getScope(), facts, binding);
        }
        if (grant instanceof TokenExchangeGrant exchange) {
            return exchange(endpoints, org, client, exchange, request, facts, binding);
        }
        if (grant instanceof DeviceCodeGrant deviceGrant) {
            return poll(endpoints, org, client, deviceGrant, facts, binding);
        }
        Set<String> requested = requestedScopes(request.getScope(), facts.definedScopes());
        Set<String> granted = new TreeSet<>(requested);
        granted.retainAll(client.authorizedScopes());
        Optional<User> user = Optional.empty();
        if (grant instanceof ResourceOwnerPasswordCredentialsGrant password) {
            user = Optional.of(authenticate(org.orgId(), password, facts.user(), clientIp));
            granted.retainAll(facts.userScopes());
        }
        String refreshToken = user.map(u -> newRefreshToken(client, u, granted, UUID.randomUUID().toString(),
                binding)).orElse(null);
        return accessTokenResponse(endpoints, facts, client, user, granted, refreshToken, binding);
    }

    /**
     * The key the tokens of this request are bound to (RFC 9449 section 5): that of the request's DPoP proof, once
     * the proof passes every check; none without a proof, unless the client is registered with
     * {@code dpop_bound_access_tokens}, which then refuses the request. Checked before the grant is looked at, so a
     * bad proof never burns an authorization code or a refresh token.
     */
    private Binding bind(Endpoints endpoints, OAuthClient client, List<String> dpopProofs) {
        if (dpopProofs == null || dpopProofs.isEmpty()) {
            if (client.dpopBoundAccessTokens()) {
                throw TokenRefusal.dpopRequired();
            }
            return Binding.NONE;
        }
        JWKThumbprintConfirmation cnf = dpop.tokenRequest(URI.create(endpoints.tokenEndpoint()), client.clientId(),
                dpopProofs);
        return new Binding(cnf.getValue().toString());
    }

    /**
     * The DPoP key thumbprint (RFC 7638, SHA-256) a request's tokens are bound to, or none.
     *
     * @param jkt null when the request carried no proof
     */
    private record Binding(String jkt) {
        static final Binding NONE = new Binding(null);

        boolean bound() {
            return jkt != null;
        }
    }

    /**
     * RFC 6749 section 4.1.3 with RFC 7636 section 4.6: the code is marked used before anything else is checked,
     * so a code presented with a wrong verifier, redirect URI or client is burnt, and PKCE cannot be guessed at.
     * An unknown, used, expired and foreign code read alike. The scopes are those of the code, less whatever the
     * client or the user lost since.
     */
    private HTTPResponse redeem(Endpoints endpoints, SigningKeys.OrgKeys org, OAuthClient client,
                                AuthorizationCodeGrant grant, Facts facts, Binding binding) {
        String codeHash = ClientSecrets.hash(grant.getAuthorizationCode().getValue());
        Optional<AuthorizationCode> redeemed = store.record(tx -> tx.authorizationCodes().redeem(org.orgId(),
                codeHash));
        AuthorizationCode code = redeemed
                .filter(found -> !found.used())
                .filter(found -> clock.instant().isBefore(found.expiresAt()))
                .filter(found -> found.clientId().equals(client.clientId()))
                .orElseThrow(TokenRefusal::invalidCode);
        URI redirectUri = grant.getRedirectionURI();
        if (redirectUri == null || !code.redirectUri().equals(redirectUri.toString())) {
            throw TokenRefusal.redirectUriMismatch();
        }
        CodeVerifier verifier = grant.getCodeVerifier();
        if (code.codeChallenge() == null ? verifier != null
                : verifier == null || !MessageDigest.isEqual(
                        CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue()
                                .getBytes(StandardCharsets.US_ASCII),
                        code.codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            throw TokenRefusal.pkceMismatch();
        }
        UserFacts user = store.read(tx -> tx.users().findById(code.userId())
                .map(found -> new UserFacts(found, tx.users().allowedScopes(found.id())))
                .orElseThrow(TokenRefusal::invalidCode));
        Set<String> granted = grantable(grantable(code.scopes(), client.authorizedScopes()), user.allowedScopes());
        String refreshToken = newRefreshToken(client, user.user(), granted, UUID.randomUUID().toString(), binding);
        HTTPResponse response = accessTokenResponse(endpoints, facts, client, Optional.of(user.user()), granted,
                refreshToken, binding);
        if (!granted.contains("openid")) {
            return response;
        }
        return withIdToken(response, idToken(endpoints, facts, client, user.user(), granted, code.nonce()));
    }

    /**
     * RFC 8628 section 3.4: a device polls with its device code. While the user has not decided, each poll is
     * recorded and answered {@code authorization_pending}, or {@code slow_down} when it came sooner than the
     * interval after the last one (the interval then grows by 5 seconds, RFC 8628 section 3.5) or raced another
     * poll. A decided authorization is answered at once: {@code access_denied}, or, once, the tokens of the code
     * flow (the approved scopes less whatever the client or the user lost since; a refresh token for a client
     * registered for it; an ID token under {@code openid}). Redeeming is a conditional update, so of two
     * concurrent polls exactly one gets tokens and the other {@code invalid_grant}, as does any later one. An
     * unknown code, a redeemed one and another client's read alike; an expired one is {@code expired_token}.
     */
    private HTTPResponse poll(Endpoints endpoints, SigningKeys.OrgKeys org, OAuthClient client,
                              DeviceCodeGrant grant, Facts facts, Binding binding) {
        String hash = ClientSecrets.hash(grant.getDeviceCode().getValue());
        Instant now = clock.instant();
        DeviceAuthorization found = store.read(tx -> tx.deviceAuthorizations().findByDeviceCode(org.orgId(), hash))
                .filter(authorization -> authorization.clientId().equals(client.clientId()))
                .filter(authorization -> authorization.status() != DeviceAuthorization.Status.REDEEMED)
                .orElseThrow(TokenRefusal::invalidDeviceCode);
        if (!now.isBefore(found.expiresAt())) {
            throw TokenRefusal.expiredDeviceCode();
        }
        switch (found.status()) {
            case PENDING -> {
                boolean tooSoon = found.lastPolledAt() != null
                        && now.isBefore(found.lastPolledAt().plus(found.interval()));
                boolean recorded = store.record(tx -> tx.deviceAuthorizations().recordPoll(org.orgId(), hash,
                        found.polls(), now, tooSoon ? SLOW_DOWN_STEP : Duration.ZERO));
                throw tooSoon || !recorded ? TokenRefusal.slowDown() : TokenRefusal.authorizationPending();
            }
            case DENIED -> throw TokenRefusal.deviceDenied();
            case APPROVED -> {
                if (!store.record(tx -> tx.deviceAuthorizations().redeem(org.orgId(), hash))) {
                    throw TokenRefusal.invalidDeviceCode();
                }
            }
            case REDEEMED -> throw TokenRefusal.invalidDeviceCode();
        }
        UserFacts user = store.read(tx -> tx.users().findById(found.userId())
                .map(u -> new UserFacts(u, tx.users().allowedScopes(u.id())))
                .orElseThrow(TokenRefusal::invalidDeviceCode));
        Set<String> granted = grantable(grantable(found.scopes(), client.authorizedScopes()), user.allowedScopes());
        String refreshToken = newRefreshToken(client, user.user(), granted, UUID.randomUUID().toString(), binding);
        HTTPResponse response = accessTokenResponse(endpoints, facts, client, Optional.of(user.user()), granted,
                refreshToken, binding);
        if (!granted.contains("openid")) {
            return response;
        }
        return withIdToken(response, idToken(endpoints, facts, client, user.user(), granted, null));
    }

    /**
     * RFC 6749 section 6 with rotation (OAuth 2.0 Security BCP, section 4.14): a refresh token is exchanged once,
     * for an access token and the next refresh token of its family. One presented again, by anyone, means two
     * parties hold it: the whole family is revoked, so the thief and the client both lose it, and the user signs
     * in again. Marking it used and detecting reuse happen in one transaction, so of two racing exchanges one
     * wins and the other revokes the family. A refresh token bound to a DPoP key (a public client's, obtained with
     * a proof) is exchanged only with a proof of that key, and otherwise refused without being used up, so a thief
     * without the key cannot even burn it.
     */
    private HTTPResponse refresh(Endpoints endpoints, SigningKeys.OrgKeys org, OAuthClient client,
                                 RefreshTokenGrant grant, Scope scope, Facts facts, Binding binding) {
        String hash = ClientSecrets.hash(grant.getRefreshToken().getValue());
        Instant now = clock.instant();
        Exchange exchange = store.record(tx -> {
            Optional<RefreshToken> found = tx.refreshTokens().find(org.orgId(), hash)
                    .filter(token -> !token.revoked() && now.isBefore(token.expiresAt()))
                    .filter(token -> token.clientId().equals(client.clientId()))
                    .filter(token -> token.jkt() == null || token.jkt().equals(binding.jkt()));
            if (found.isEmpty()) {
                return new Exchange(null, null, Set.of(), false);
            }
            if (!tx.refreshTokens().markUsed(hash)) {
                tx.refreshTokens().revokeFamily(found.get().familyId());
                return new Exchange(found.get(), null, Set.of(), true);
            }
            Optional<User> user = tx.users().findById(found.get().userId());
            return new Exchange(found.get(), user.orElse(null),
                    user.map(u -> tx.users().allowedScopes(u.id())).orElse(Set.of()), false);
        });
        if (exchange.reused()) {
            audit.record(client.orgId(), "refresh_token.reused", exchange.token().userId(), client.clientId(), null,
                    "family revoked");
            log.warn("refresh token reused by client {} of organization {}: family {} revoked", client.clientId(),
                    client.orgId(), exchange.token().familyId());
        }
        if (exchange.reused() || exchange.token() == null || exchange.user() == null) {
            throw TokenRefusal.invalidRefreshToken();
        }
        Set<String> granted = exchange.token().scopes();
        if (scope != null) {
            Set<String> requested = new TreeSet<>(scope.toStringList());
            if (!granted.containsAll(requested)) {
                throw TokenRefusal.scopeBeyondGrant();
            }
            granted = requested;
        }
        granted = grantable(grantable(granted, client.authorizedScopes()), exchange.allowedScopes());
        String next = newRefreshToken(client, exchange.user(), exchange.token().scopes(),
                exchange.token().familyId(), binding);
        return accessTokenResponse(endpoints, facts, client, Optional.of(exchange.user()), granted, next, binding);
    }

    /**
     * The OpenID Connect ID token of a code-flow sign-in: for the client alone ({@code aud}), with the nonce of the
     * authorization request exactly as sent, {@code preferred_username} under the profile scope, and {@code groups}
     * (the names of the user's groups, sorted) whenever the user belongs to any. It lives as long as the access
     * token.
     */
    private String idToken(Endpoints endpoints, Facts facts, OAuthClient client, User user, Set<String> scopes,
                           String nonce) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(endpoints.issuer())
                .subject(user.id())
                .audience(client.clientId())
                .claim("azp", client.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(client.accessTokenLifetime())));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        if (scopes.contains("profile")) {
            claims.claim("preferred_username", user.username());
        }
        if (!user.groups().isEmpty()) {
            claims.claim("groups", List.copyOf(new TreeSet<>(user.groups())));
        }
        return keys.sign(activeKey(facts, client), JOSEObjectType.JWT, claims.build());
    }

    private static HTTPResponse withIdToken(HTTPResponse response, String idToken) {
        try {
            AccessTokenResponse parsed = AccessTokenResponse.parse(response);
            OIDCTokens tokens = new OIDCTokens(idToken, parsed.getTokens().getAccessToken(),
                    parsed.getTokens().getRefreshToken());
            return new OIDCTokenResponse(tokens).toHTTPResponse();
        } catch (ParseException e) {
            throw new IllegalStateException("could not read back an access token response", e);
        }
    }

    private static SigningKey activeKey(Facts facts, OAuthClient client) {
        return facts.activeKey().orElseThrow(() ->
                new IllegalStateException("organization " + client.orgId() + " has no active signing key"));
    }

    /**
     * A refresh token for a client registered for the refresh_token grant, else null. A public client's is bound
     * to the request's DPoP key, if any; a confidential client's is not, as RFC 9449 section 5 says, for its client
     * authentication already constrains it to its sender.
     */
    private String newRefreshToken(OAuthClient client, User user, Set<String> scopes, String familyId,
                                   Binding binding) {
        if (!client.grantTypes().contains(ClientRegistration.REFRESH_TOKEN)) {
            return null;
        }
        String value = secrets.newSecret();
        Instant now = clock.instant();
        store.record(tx -> {
            tx.refreshTokens().deleteExpired(now);
            tx.refreshTokens().add(new RefreshToken(ClientSecrets.hash(value), client.orgId(), familyId,
                    client.clientId(), user.id(), scopes, false, false, now.plus(REFRESH_TOKEN_LIFETIME),
                    client.confidential() ? null : binding.jkt()));
            return null;
        });
        return value;
    }

    /** What a refresh token exchange found: the token (null if unusable), whether it was reused, its user. */
    private record Exchange(RefreshToken token, User user, Set<String> allowedScopes, boolean reused) {
    }

    private record UserFacts(User user, Set<String> allowedScopes) {
    }

    /** The request as Nimbus expects it: a POST whose form body holds the query's and the body's parameters. */
    static HTTPRequest formRequest(URI endpoint, String rawQuery, String authorization,
                                           String contentType, String body) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        Map<String, List<String>> fromQuery = URLUtils.parseParameters(rawQuery);
        if (fromQuery.containsKey("client_secret")) {
            throw TokenRefusal.invalidRequest("client_secret must not be sent in the URL");
        }
        fromQuery.forEach((name, values) -> parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        if (body != null && !body.isEmpty()) {
            if (!isForm(contentType)) {
                throw TokenRefusal.invalidRequest("the body must be application/x-www-form-urlencoded");
            }
            URLUtils.parseParameters(body).forEach((name, values) ->
                    parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        }
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, endpoint);
        request.setEntityContentType(ContentType.APPLICATION_URLENCODED);
        if (authorization != null) {
            request.setAuthorization(authorization);
        }
        request.setBody(URLUtils.serializeParameters(parameters));
        return request;
    }

    private static boolean isForm(String contentType) {
        try {
            return contentType != null && ContentType.parse(contentType).matches(ContentType.APPLICATION_URLENCODED);
        } catch (java.text.ParseException e) {
            return false;
        }
    }

    private static TokenRequest parse(HTTPRequest httpRequest) {
        try {
            return TokenRequest.parse(httpRequest);
        } catch (ParseException e) {
            ErrorObject error = e.getErrorObject();
            if (error == null) {
                throw TokenRefusal.invalidRequest(e.getMessage());
            }
            if (OAuth2Error.INVALID_CLIENT_CODE.equals(error.getCode())) {
                throw TokenRefusal.invalidClient();
            }
            if (OAuth2Error.UNSUPPORTED_GRANT_TYPE_CODE.equals(error.getCode())) {
                throw TokenRefusal.unsupportedGrantType();
            }
            throw TokenRefusal.fromParser(error);
        }
    }

    /** RFC 6749 section 2.3: a confidential client proves its secret; a public client presents none. */
    static OAuthClient authenticate(ClientAuthentication clientAuth, Optional<OAuthClient> found) {
        OAuthClient client = found.orElseThrow(TokenRefusal::invalidClient);
        boolean authenticated = switch (clientAuth) {
            case null -> !client.confidential();
            case PlainClientSecret secret -> client.confidential()
                    && ClientSecrets.matches(secret.getClientSecret().getValue(), client.secretHash());
            default -> false;
        };
        if (!authenticated) {
            throw TokenRefusal.invalidClient();
        }
        return client;
    }

    private User authenticate(String orgId, ResourceOwnerPasswordCredentialsGrant grant, Optional<User> found,
                              String clientIp) {
        String username = grant.getUsername();
        if (!throttle.allows(orgId, username, clientIp)) {
            audit.record(orgId, "login.throttled", username, null, clientIp, "password grant");
            throw TokenRefusal.throttled();
        }
        String password = grant.getPassword().getValue();
        boolean valid = found.isPresent() ? hasher.verify(password, found.get().passwordHash())
                : noUser(password);
        if (!valid) {
            throttle.failed(orgId, username, clientIp);
            audit.record(orgId, "login.failed", username, null, clientIp, "password grant");
            throw TokenRefusal.invalidUserCredentials();
        }
        throttle.succeeded(orgId, username);
        return found.get();
    }

    private boolean noUser(String password) {
        hasher.verifyAgainstNoUser(password);
        return false;
    }

    private static Set<String> requestedScopes(Scope scope, Set<String> definedScopes) {
        Set<String> requested = new TreeSet<>(scope == null ? List.of() : scope.toStringList());
        for (String value : requested) {
            if (!definedScopes.contains(value) && !OPENID_SCOPES.contains(value)) {
                throw TokenRefusal.invalidScope(value);
            }
        }
        return requested;
    }

    /**
     * RFC 8693: a confidential client (a service) exchanges an access token it was called with for one it can call
     * another API with, on behalf of the same subject. The subject token must be an unrevoked access token of this
     * organization. The new token's scopes are those asked for (all of the audience's when none are), within what
     * the exchanging client is authorized for and, for a user's token, what the user's roles allow, or, for a
     * service's token, what that token carried; an {@code audience} or {@code resource} must be one of the
     * organization's API resources and narrows the scopes to its own. The token keeps the subject's {@code sub} and
     * names the exchanging client in {@code act}; no refresh token comes with it.
     */
    private HTTPResponse exchange(Endpoints endpoints, SigningKeys.OrgKeys org, OAuthClient client,
                                  TokenExchangeGrant grant, TokenRequest request, Facts facts, Binding binding) {
        if (!TokenTypeURI.ACCESS_TOKEN.equals(grant.getSubjectTokenType())) {
            throw TokenRefusal.invalidRequest("subject_token_type must be " + TokenTypeURI.ACCESS_TOKEN);
        }
        if (grant.getActorToken() != null) {
            throw TokenRefusal.invalidRequest("actor_token is not supported: the exchanging client is the actor");
        }
        if (grant.getRequestedTokenType() != null && !TokenTypeURI.ACCESS_TOKEN.equals(grant.getRequestedTokenType())) {
            throw TokenRefusal.invalidRequest("requested_token_type must be " + TokenTypeURI.ACCESS_TOKEN);
        }
        VerifiedToken subject = verifier.verify(grant.getSubjectToken().getValue())
                .filter(token -> token.orgHandle().equals(org.orgHandle()))
                .filter(token -> !store.read(tx -> tx.revokedAccessTokens().isRevoked(token.claims().getJWTID())))
                .orElseThrow(TokenRefusal::invalidSubjectToken);
        List<String> targets = new ArrayList<>();
        Optional.ofNullable(grant.getAudience()).orElse(List.of()).forEach(audience -> targets.add(audience.getValue()));
        Optional.ofNullable(request.getResources()).orElse(List.of()).forEach(resource -> targets.add(resource.toString()));
        Set<String> targetScopes = new TreeSet<>();
        for (String target : targets) {
            targetScopes.addAll(facts.resources().stream().filter(resource -> resource.identifier().equals(target))
                    .findFirst().orElseThrow(() -> TokenRefusal.invalidTarget(target)).scopes());
        }
        Set<String> granted = request.getScope() != null ? requestedScopes(request.getScope(), facts.definedScopes())
                : new TreeSet<>(targetScopes);
        if (!targets.isEmpty()) {
            granted.retainAll(targetScopes);
        }
        granted.retainAll(client.authorizedScopes());
        Optional<User> user = store.read(tx -> tx.users().findById(subject.subject()))
                .filter(found -> found.orgId().equals(org.orgId()));
        granted.retainAll(user.isPresent()
                ? store.read(tx -> tx.users().allowedScopes(user.get().id()))
                : subject.scopes());
        return accessTokenResponse(endpoints, facts, client, user, granted, null, binding,
                new Delegation(subject.subject(), subject.clientId()));
    }

    /** Who a token issued by exchange is for, and the client whose token was exchanged. */
    private record Delegation(String subject, String subjectClientId) {
    }

    private HTTPResponse accessTokenResponse(Endpoints endpoints, Facts facts, OAuthClient client,
                                             Optional<User> user, Set<String> granted, String refreshToken,
                                             Binding binding) {
        return accessTokenResponse(endpoints, facts, client, user, granted, refreshToken, binding, null);
    }

    /**
     * The RFC 9068 access token and the response that carries it. A token bound to a DPoP key carries
     * {@code cnf: {jkt}} and goes out with {@code token_type} DPoP (RFC 9449 sections 5 and 6.1).
     */
    private HTTPResponse accessTokenResponse(Endpoints endpoints, Facts facts, OAuthClient client,
                                             Optional<User> user, Set<String> granted, String refreshToken,
                                             Binding binding, Delegation delegation) {
        SigningKey signingKey = activeKey(facts, client);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Duration lifetime = client.accessTokenLifetime();
        String scope = String.join(" ", granted);

        List<String> audience = new ArrayList<>();
        audience.add(client.clientId());
        facts.resources().stream()
                .filter(resource -> resource.scopes().stream().anyMatch(granted::contains))
                .map(ApiResource::identifier)
                .sorted()
                .forEach(audience::add);

        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(endpoints.issuer())
                .subject(delegation != null ? delegation.subject() : user.map(User::id).orElse(client.clientId()))
                .audience(audience)
                .claim("azp", client.clientId())
                .claim("client_id", client.clientId())
                .claim("scope", scope)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        user.ifPresent(u -> claims.claim("username", u.username()));
        if (delegation != null) {
            claims.claim("act", Map.of("sub", client.clientId()));
        }
        if (binding.bound()) {
            claims.claim("cnf", Map.of("jkt", binding.jkt()));
        }
        JWTClaimsSet built = claims.build();
        String accessToken = client.opaqueAccessTokens() ? opaqueTokens.issue(client, built)
                : keys.sign(signingKey, AccessTokenVerifier.ACCESS_TOKEN_TYPE, built);

        audit.record(client.orgId(), "token.issued", user.map(User::id).orElse(client.clientId()),
                client.clientId(), null, scope.isEmpty() ? null : scope);
        Scope grantedScope = new Scope(granted.toArray(String[]::new));
        TokenTypeURI issuedType = delegation == null ? null : TokenTypeURI.ACCESS_TOKEN;
        AccessToken token = binding.bound()
                ? new DPoPAccessToken(accessToken, lifetime.toSeconds(), grantedScope, issuedType)
                : new BearerAccessToken(accessToken, lifetime.toSeconds(), grantedScope, issuedType);
        log.debug("issued an access token to client {} of organization {} for scope [{}]", client.clientId(),
                client.orgId(), scope);
        Tokens tokens = new Tokens(token,
                refreshToken == null ? null : new com.nimbusds.oauth2.sdk.token.RefreshToken(refreshToken));
        return new AccessTokenResponse(tokens).toHTTPResponse();
    }

    /** What one token request needs from the store, read in one go. */
    private record Facts(Optional<OAuthClient> client, Optional<User> user, Set<String> userScopes,
                         List<ApiResource> resources, Optional<SigningKey> activeKey) {

        static Facts load(Repositories tx, String orgId, String clientId, String username, Instant now) {
            Optional<User> user = username == null ? Optional.empty() : tx.users().find(orgId, username);
            return new Facts(
                    tx.oauthClients().findByClientId(orgId, clientId),
                    user,
                    user.map(u -> tx.users().allowedScopes(u.id())).orElse(Set.of()),
                    tx.apiResources().list(orgId),
                    tx.signingKeys().signingAt(orgId, now));
        }

        Set<String> definedScopes() {
            Set<String> scopes = new HashSet<>();
            resources.forEach(resource -> scopes.addAll(resource.scopes()));
            return scopes;
        }
    }
}
