package dev.gatehouse.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.identity.AuthorizationCode;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Store;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authorization endpoint of every organization ({@code /t/{org}/oauth2/authorize}): RFC 6749's authorization
 * code grant with PKCE (RFC 7636), through a server-rendered sign-in page and a consent page.
 *
 * <p><b>What it guarantees.</b> Nothing is sent to a redirect URI before the client is known and the URI is one it
 * registered, compared as exact strings; until then every problem is an error page on this server (RFC 6749
 * section 4.1.2.1), so the endpoint can never be used as an open redirector. After that, every refusal is an
 * error redirect carrying {@code state} exactly as received. A public client must send a PKCE challenge, and any
 * challenge must be S256. A user is asked to consent only to scopes they have not yet allowed this client; what
 * they allow is remembered per user and client. A wrong username and a wrong password give the same message and
 * cost the same Argon2 computation. A code is 256 random bits, stored only as a hash, lives
 * {@link #CODE_LIFETIME}, and is bound to its client, redirect URI, PKCE challenge, user and scopes.
 *
 * <p><b>Why it is built so.</b> The endpoint keeps no session: the sign-in form carries the original request's
 * query string back, and is re-validated in full on every POST. Between sign-in and consent the user's identity
 * travels in a consent ticket, a short-lived JWT signed with the organization's key and bound to that request
 * and to the browser's CSRF token, so any replica can finish what another began. Forms are protected by a
 * double-submit CSRF token: a random value in a {@code SameSite=Lax}, {@code HttpOnly} cookie that each form must
 * repeat. Without a session there is no single sign-on: each authorization asks for the password again.
 *
 * <p><b>What it costs.</b> A sign-in is one Argon2 verification and two small store reads; a consent a signature
 * check; issuing a code one insert in a transaction that does not move the configuration revision.
 */
final class AuthorizationEndpoint {

    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);
    static final Duration TICKET_LIFETIME = Duration.ofMinutes(10);
    static final int MAX_NONCE_LENGTH = 500;
    static final JOSEObjectType TICKET_TYPE = new JOSEObjectType("gatehouse-consent+jwt");
    static final String INVALID_CREDENTIALS = "Invalid username or password.";
    static final String THROTTLED = "Too many failed sign-ins. Try again later.";
    static final String EXPIRED_FORM = "This sign-in page has expired. Go back to the application and start again.";

    private static final Logger log = LoggerFactory.getLogger(AuthorizationEndpoint.class);

    /** What the browser is shown next. */
    sealed interface Outcome {

        record Page(int status, String html) implements Outcome {
        }

        record Redirect(URI location) implements Outcome {
        }
    }

    private final Store store;
    private final IdpConfig config;
    private final PasswordHasher hasher;
    private final SigningKeys keys;
    private final ClientSecrets secrets;
    private final LoginThrottle throttle;
    private final Audit audit;
    private final Clock clock;

    AuthorizationEndpoint(Store store, IdpConfig config, PasswordHasher hasher, SigningKeys keys,
                          ClientSecrets secrets, LoginThrottle throttle, Audit audit, Clock clock) {
        this.throttle = throttle;
        this.audit = audit;
        this.store = store;
        this.config = config;
        this.hasher = hasher;
        this.keys = keys;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** A CSRF token for the browser: the one its cookie holds when well-formed, a new one otherwise. */
    String csrfToken(String fromCookie) {
        return fromCookie != null && fromCookie.matches("[A-Za-z0-9_-]{43}") ? fromCookie : secrets.newSecret();
    }

    /** {@code GET}: checks the authorization request and shows the sign-in form. */
    Outcome show(String orgHandle, String rawQuery, String csrf) {
        return guarded(orgHandle, () -> {
            Request request = validate(orgHandle, rawQuery == null ? "" : rawQuery);
            return page(200, LoginPages.login(request.action(), request.client().name(), request.raw(), csrf, null));
        });
    }

    /** {@code POST}: a sign-in or a consent form, with the CSRF token of the browser's cookie. */
    Outcome submit(String orgHandle, String formBody, String csrfCookie, String clientIp) {
        return guarded(orgHandle, () -> {
            Map<String, List<String>> form = URLUtils.parseParameters(formBody);
            String csrf = single(form, "csrf");
            if (csrf == null || csrfCookie == null || !equal(csrf, csrfCookie)) {
                return page(403, LoginPages.error(EXPIRED_FORM));
            }
            String raw = single(form, "request");
            Request request = validate(orgHandle, raw == null ? "" : raw);
            String action = single(form, "action");
            if ("login".equals(action)) {
                return login(request, single(form, "username"), single(form, "password"), csrf, clientIp);
            }
            if ("allow".equals(action) || "deny".equals(action)) {
                return consent(request, single(form, "ticket"), csrf, "allow".equals(action));
            }
            return page(400, LoginPages.error(EXPIRED_FORM));
        });
    }

    private Outcome login(Request request, String username, String password, String csrf, String clientIp) {
        if (username == null || password == null) {
            return page(200, LoginPages.login(request.action(), request.client().name(), request.raw(), csrf,
                    INVALID_CREDENTIALS));
        }
        String orgId = request.client().orgId();
        String clientId = request.client().clientId();
        if (!throttle.allows(orgId, username, clientIp)) {
            audit.record(orgId, "login.throttled", username, clientId, clientIp, "sign-in form");
            return page(200, LoginPages.login(request.action(), request.client().name(), request.raw(), csrf,
                    THROTTLED));
        }
        Optional<User> user = store.read(tx -> tx.users().find(orgId, username));
        boolean valid = user.isPresent() ? hasher.verify(password, user.get().passwordHash()) : noUser(password);
        if (!valid) {
            throttle.failed(orgId, username, clientIp);
            audit.record(orgId, "login.failed", username, clientId, clientIp, "sign-in form");
            log.debug("sign-in to organization {} for client {} refused", orgId, request.client().clientId());
            return page(200, LoginPages.login(request.action(), request.client().name(), request.raw(), csrf,
                    INVALID_CREDENTIALS));
        }
        throttle.succeeded(orgId, username);
        audit.record(orgId, "login.succeeded", username, clientId, clientIp, "sign-in form");
        String userId = user.get().id();
        Set<String> scopes = store.read(tx -> TokenEndpoint.grantable(request.scopes(),
                tx.users().allowedScopes(userId)));
        Set<String> consented = store.read(tx -> tx.consents().granted(userId, request.client().clientId()));
        Set<String> missing = new TreeSet<>(scopes);
        missing.removeAll(consented);
        if (missing.isEmpty()) {
            return issueCode(request, userId, scopes);
        }
        String ticket = keys.sign(request.signingKey(), TICKET_TYPE, new JWTClaimsSet.Builder()
                .issuer(request.issuer())
                .subject(userId)
                .claim("client_id", request.client().clientId())
                .claim("scope", Scopes.join(scopes))
                .claim("req", digest(request.raw()))
                .claim("csrf", digest(csrf))
                .expirationTime(Date.from(clock.instant().plus(TICKET_LIFETIME)))
                .build());
        return page(200, LoginPages.consent(request.action(), request.client().name(), missing, request.raw(), csrf,
                ticket));
    }

    private Outcome consent(Request request, String ticket, String csrf, boolean allowed) {
        Optional<JWTClaimsSet> claims = verifyTicket(request, ticket, csrf);
        if (claims.isEmpty()) {
            return page(400, LoginPages.error(EXPIRED_FORM));
        }
        String userId = claims.get().getSubject();
        if (!allowed) {
            audit.record(request.client().orgId(), "consent.denied", userId, request.client().clientId(), null,
                    null);
            return errorRedirect(request, new ErrorObject(OAuth2Error.ACCESS_DENIED_CODE, "the user denied access"));
        }
        Set<String> scopes = Scopes.parse((String) claims.get().getClaim("scope"));
        audit.record(request.client().orgId(), "consent.granted", userId, request.client().clientId(), null,
                Scopes.join(scopes));
        store.record(tx -> {
            tx.consents().grant(request.client().orgId(), userId, request.client().clientId(), scopes);
            return null;
        });
        return issueCode(request, userId, scopes);
    }

    private Optional<JWTClaimsSet> verifyTicket(Request request, String ticket, String csrf) {
        return ConsentTickets.verify(ticket, TICKET_TYPE, request.org().publicKeys(), new JWTClaimsSet.Builder()
                .issuer(request.issuer())
                .claim("client_id", request.client().clientId())
                .claim("req", digest(request.raw()))
                .claim("csrf", digest(csrf))
                .build(), clock);
    }

    private Outcome issueCode(Request request, String userId, Set<String> scopes) {
        String code = secrets.newSecret();
        Instant expiresAt = clock.instant().plus(CODE_LIFETIME);
        AuthorizationRequest auth = request.auth();
        String challenge = auth.getCodeChallenge() == null ? null : auth.getCodeChallenge().getValue();
        String nonce = single(URLUtils.parseParameters(request.raw()), "nonce");
        store.record(tx -> {
            tx.authorizationCodes().deleteExpired(clock.instant());
            tx.authorizationCodes().add(new AuthorizationCode(ClientSecrets.hash(code), request.client().orgId(),
                    request.client().clientId(), userId, request.redirectUri(), scopes, challenge, nonce, false,
                    expiresAt));
            return null;
        });
        log.debug("issued an authorization code to client {} of organization {}", request.client().clientId(),
                request.client().orgId());
        return new Outcome.Redirect(new AuthorizationSuccessResponse(URI.create(request.redirectUri()),
                new com.nimbusds.oauth2.sdk.AuthorizationCode(code), null, auth.getState(), ResponseMode.QUERY)
                .toURI());
    }

    /**
     * The request checked in RFC 6749's order: first what decides whether a redirect is safe (client, redirect
     * URI), refused with an error page; then the rest, refused with an error redirect.
     */
    private Request validate(String orgHandle, String raw) {
        SigningKeys.OrgKeys org = keys.ofOrganization(orgHandle)
                .orElseThrow(() -> new Stop(page(404, LoginPages.error("This organization does not exist."))));
        Map<String, List<String>> params = URLUtils.parseParameters(raw);
        String clientId = single(params, "client_id");
        String redirectUri = single(params, "redirect_uri");
        if (clientId == null || redirectUri == null) {
            throw new Stop(page(400, LoginPages.error(
                    "The application's sign-in request has no client_id or redirect_uri.")));
        }
        ClientFacts facts = store.read(tx -> new ClientFacts(tx.oauthClients().findByClientId(org.orgId(), clientId),
                tx.apiResources().definedScopes(org.orgId()), tx.signingKeys().signingAt(org.orgId(), clock.instant()).orElseThrow()));
        OAuthClient client = facts.client().orElseThrow(() ->
                new Stop(page(400, LoginPages.error("The application is not registered with this organization."))));
        if (!client.redirectUris().contains(redirectUri)) {
            throw new Stop(page(400, LoginPages.error(
                    "The application's redirect_uri is not one it registered.")));
        }
        Endpoints endpoints = Endpoints.of(config.publicBaseUrl(), orgHandle);
        AuthorizationRequest auth;
        try {
            auth = AuthorizationRequest.parse(params);
        } catch (ParseException e) {
            throw new Stop(redirect(URI.create(redirectUri), e.getErrorObject(), e.getState()));
        }
        Request request = new Request(org, client, auth, raw, redirectUri, Set.of(), endpoints,
                facts.signingKey());
        if (!ResponseType.CODE.equals(auth.getResponseType())) {
            throw new Stop(errorRedirect(request, new ErrorObject(OAuth2Error.UNSUPPORTED_RESPONSE_TYPE_CODE,
                    "response_type must be code")));
        }
        if (!client.grantTypes().contains(ClientRegistration.AUTHORIZATION_CODE)) {
            throw new Stop(errorRedirect(request, new ErrorObject(OAuth2Error.UNAUTHORIZED_CLIENT_CODE,
                    "client is not allowed the authorization_code grant")));
        }
        if (auth.getCodeChallenge() == null ? !client.confidential()
                : !CodeChallengeMethod.S256.equals(auth.getCodeChallengeMethod())) {
            throw new Stop(errorRedirect(request, new ErrorObject(OAuth2Error.INVALID_REQUEST_CODE,
                    "a code_challenge with code_challenge_method S256 is required")));
        }
        String nonce = single(params, "nonce");
        if (nonce != null && nonce.length() > MAX_NONCE_LENGTH) {
            throw new Stop(errorRedirect(request, new ErrorObject(OAuth2Error.INVALID_REQUEST_CODE,
                    "nonce must be at most " + MAX_NONCE_LENGTH + " characters")));
        }
        Set<String> scopes = new TreeSet<>();
        for (String scope : auth.getScope() == null ? List.<String>of() : auth.getScope().toStringList()) {
            if (!facts.definedScopes().contains(scope) && !TokenEndpoint.OPENID_SCOPES.contains(scope)) {
                throw new Stop(errorRedirect(request, new ErrorObject(OAuth2Error.INVALID_SCOPE_CODE,
                        "unknown scope '" + scope + "'")));
            }
            if (client.authorizedScopes().contains(scope) || TokenEndpoint.IDENTITY_SCOPES.contains(scope)) {
                scopes.add(scope);
            }
        }
        return new Request(org, client, auth, raw, redirectUri, scopes, endpoints, facts.signingKey());
    }

    private Outcome guarded(String orgHandle, Supplier<Outcome> work) {
        try {
            return work.get();
        } catch (Stop stop) {
            return stop.outcome;
        } catch (RuntimeException e) {
            log.error("authorization request to organization {} failed", orgHandle, e);
            return page(500, LoginPages.error("Something went wrong. Try again later."));
        }
    }

    private boolean noUser(String password) {
        hasher.verifyAgainstNoUser(password);
        return false;
    }

    private static Outcome errorRedirect(Request request, ErrorObject error) {
        return redirect(URI.create(request.redirectUri()), error, request.auth().getState());
    }

    private static Outcome redirect(URI redirectUri, ErrorObject error, State state) {
        return new Outcome.Redirect(new AuthorizationErrorResponse(redirectUri, error, state, ResponseMode.QUERY)
                .toURI());
    }

    private static Outcome page(int status, String html) {
        return new Outcome.Page(status, html);
    }

    /** The value of a parameter given exactly once; null when absent or repeated. */
    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String digest(String value) {
        return ClientSecrets.hash(value);
    }

    /** A checked authorization request; {@code scopes} are the requested ones the client is authorized for. */
    private record Request(SigningKeys.OrgKeys org, OAuthClient client, AuthorizationRequest auth, String raw,
                           String redirectUri, Set<String> scopes, Endpoints endpoints,
                           SigningKey signingKey) {

        String action() {
            return endpoints.authorizationEndpoint();
        }

        String issuer() {
            return endpoints.issuer();
        }
    }

    private record ClientFacts(Optional<OAuthClient> client, Set<String> definedScopes,
                               SigningKey signingKey) {
    }

    /** Ends the handling of a request with an outcome; stackless, for it is an expected one. */
    private static final class Stop extends RuntimeException {

        private final transient Outcome outcome;

        Stop(Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
