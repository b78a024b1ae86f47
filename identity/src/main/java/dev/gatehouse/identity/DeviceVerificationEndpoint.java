package dev.gatehouse.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.identity.DeviceAuthorization;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device verification page of every organization ({@code GET|POST /t/{org}/oauth2/device}), RFC 8628 section
 * 3.3: the user types the code their device shows, signs in, and approves or denies the device.
 *
 * <p><b>What it guarantees.</b> The pages look and behave like the authorization endpoint's: the same double-submit
 * CSRF token, the same sign-in throttle ({@link LoginThrottle}) and the same message for a wrong username and a
 * wrong password. Wrong user codes are throttled per address ({@link LoginThrottle#allowsGuess}); an unknown, an
 * expired and an already decided code each get a message of their own, which tells a guesser nothing about codes
 * still pending. The user is always asked to approve, even for scopes they allowed the client before, and the page
 * names the application and the code (section 5.4: whoever sent the user the code may be the one polling for the
 * tokens). What the user approves is the requested scopes less what their roles do not allow; the decision is one
 * conditional update, so a code is decided once, and never after it expired.
 *
 * <p><b>Why it is built so.</b> No session, as on the authorization endpoint: the forms carry the user code back,
 * re-checked on every POST, and between sign-in and approval the user's identity travels in a consent ticket signed
 * with the organization's key, of its own type (so a ticket of the code flow is no good here), bound to the user
 * code and to the browser's CSRF token.
 */
final class DeviceVerificationEndpoint {

    static final JOSEObjectType TICKET_TYPE = new JOSEObjectType("gatehouse-device-consent+jwt");
    static final Duration TICKET_LIFETIME = Duration.ofMinutes(10);
    static final String EXPIRED_FORM = "This page has expired. Open it again and enter the code once more.";
    static final String UNKNOWN_CODE = "That code is not valid. Check the code shown on your device and try again.";
    static final String EXPIRED_CODE = "That code has expired. Start again on your device to get a new one.";
    static final String USED_CODE = "That code has already been used.";
    static final String TOO_MANY_CODES = "Too many wrong codes. Try again later.";
    static final String APPROVED = "Your device is connected. You can close this page and return to it.";
    static final String DENIED = "The device was not connected. You can close this page.";

    private static final Logger log = LoggerFactory.getLogger(DeviceVerificationEndpoint.class);

    private final Store store;
    private final IdpConfig config;
    private final PasswordHasher hasher;
    private final SigningKeys keys;
    private final LoginThrottle throttle;
    private final Audit audit;
    private final Clock clock;

    DeviceVerificationEndpoint(Store store, IdpConfig config, PasswordHasher hasher, SigningKeys keys,
                               LoginThrottle throttle, Audit audit, Clock clock) {
        this.store = store;
        this.config = config;
        this.hasher = hasher;
        this.keys = keys;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@code GET}: the code form, filled in with {@code user_code} when the device's link carried it. */
    AuthorizationEndpoint.Outcome show(String orgHandle, String rawQuery, String csrf) {
        return guarded(orgHandle, () -> {
            Endpoints endpoints = organization(orgHandle).endpoints();
            String typed = single(URLUtils.parseParameters(rawQuery), "user_code");
            String prefill = DeviceAuthorizationEndpoint.normalizeUserCode(typed)
                    .map(DeviceAuthorizationEndpoint::displayUserCode).orElse("");
            return page(200, LoginPages.deviceCode(endpoints.deviceVerificationUri(), prefill, csrf, null));
        });
    }

    /** {@code POST}: the code form, the sign-in form or the approval, with the CSRF token of the browser's cookie. */
    AuthorizationEndpoint.Outcome submit(String orgHandle, String formBody, String csrfCookie, String clientIp) {
        return guarded(orgHandle, () -> {
            Map<String, List<String>> form = URLUtils.parseParameters(formBody);
            String csrf = single(form, "csrf");
            if (csrf == null || csrfCookie == null || !equal(csrf, csrfCookie)) {
                return page(403, LoginPages.error(EXPIRED_FORM));
            }
            Org org = organization(orgHandle);
            String action = single(form, "action");
            Pending pending = resolve(org, single(form, "code"), csrf, clientIp);
            return switch (action == null ? "" : action) {
                case "code" -> page(200, LoginPages.deviceLogin(org.action(), pending.client().name(),
                        pending.code(), csrf, null));
                case "login" -> login(org, pending, single(form, "username"), single(form, "password"), csrf,
                        clientIp);
                case "allow", "deny" -> decide(org, pending, single(form, "ticket"), csrf, "allow".equals(action),
                        clientIp);
                default -> page(400, LoginPages.error(EXPIRED_FORM));
            };
        });
    }

    /** The pending authorization a typed code names, or the code form again with what is wrong with it. */
    private Pending resolve(Org org, String typed, String csrf, String clientIp) {
        String shown = typed == null ? "" : typed.strip();
        if (!throttle.allowsGuess(org.keys().orgId(), clientIp)) {
            audit.record(org.keys().orgId(), "device.code.throttled", null, null, clientIp, null);
            throw new Stop(page(200, LoginPages.deviceCode(org.action(), shown, csrf, TOO_MANY_CODES)));
        }
        Optional<String> normalized = DeviceAuthorizationEndpoint.normalizeUserCode(typed);
        Optional<DeviceAuthorization> found = normalized.flatMap(code -> store.read(tx ->
                tx.deviceAuthorizations().findByUserCode(org.keys().orgId(), ClientSecrets.hash(code))));
        if (found.isEmpty()) {
            throttle.guessFailed(org.keys().orgId(), clientIp);
            audit.record(org.keys().orgId(), "device.code.failed", null, null, clientIp, null);
            throw new Stop(page(200, LoginPages.deviceCode(org.action(), shown, csrf, UNKNOWN_CODE)));
        }
        DeviceAuthorization authorization = found.get();
        String code = DeviceAuthorizationEndpoint.displayUserCode(normalized.get());
        if (!clock.instant().isBefore(authorization.expiresAt())) {
            throw new Stop(page(200, LoginPages.deviceCode(org.action(), code, csrf, EXPIRED_CODE)));
        }
        if (authorization.status() != DeviceAuthorization.Status.PENDING) {
            throw new Stop(page(200, LoginPages.deviceCode(org.action(), code, csrf, USED_CODE)));
        }
        OAuthClient client = store.read(tx -> tx.oauthClients().findByClientId(org.keys().orgId(),
                        authorization.clientId()))
                .orElseThrow(() -> new Stop(page(200, LoginPages.deviceCode(org.action(), code, csrf,
                        UNKNOWN_CODE))));
        return new Pending(authorization, client, code);
    }

    private AuthorizationEndpoint.Outcome login(Org org, Pending pending, String username, String password,
                                                String csrf, String clientIp) {
        String orgId = org.keys().orgId();
        String clientId = pending.client().clientId();
        if (username == null || password == null) {
            return page(200, LoginPages.deviceLogin(org.action(), pending.client().name(), pending.code(), csrf,
                    AuthorizationEndpoint.INVALID_CREDENTIALS));
        }
        if (!throttle.allows(orgId, username, clientIp)) {
            audit.record(orgId, "login.throttled", username, clientId, clientIp, "device verification");
            return page(200, LoginPages.deviceLogin(org.action(), pending.client().name(), pending.code(), csrf,
                    AuthorizationEndpoint.THROTTLED));
        }
        Optional<User> user = store.read(tx -> tx.users().find(orgId, username));
        boolean valid = user.isPresent() ? hasher.verify(password, user.get().passwordHash()) : noUser(password);
        if (!valid) {
            throttle.failed(orgId, username, clientIp);
            audit.record(orgId, "login.failed", username, clientId, clientIp, "device verification");
            return page(200, LoginPages.deviceLogin(org.action(), pending.client().name(), pending.code(), csrf,
                    AuthorizationEndpoint.INVALID_CREDENTIALS));
        }
        throttle.succeeded(orgId, username);
        audit.record(orgId, "login.succeeded", username, clientId, clientIp, "device verification");
        String userId = user.get().id();
        Set<String> scopes = store.read(tx -> TokenEndpoint.grantable(pending.authorization().scopes(),
                tx.users().allowedScopes(userId)));
        SigningKey signingKey = store.read(tx -> tx.signingKeys().signingAt(orgId, clock.instant())).orElseThrow();
        String ticket = keys.sign(signingKey, TICKET_TYPE, new JWTClaimsSet.Builder()
                .issuer(org.endpoints().issuer())
                .subject(userId)
                .claim("client_id", clientId)
                .claim("scope", Scopes.join(scopes))
                .claim("code", ClientSecrets.hash(pending.code()))
                .claim("csrf", ClientSecrets.hash(csrf))
                .expirationTime(Date.from(clock.instant().plus(TICKET_LIFETIME)))
                .build());
        return page(200, LoginPages.deviceConsent(org.action(), pending.client().name(), pending.code(), scopes,
                csrf, ticket));
    }

    private AuthorizationEndpoint.Outcome decide(Org org, Pending pending, String ticket, String csrf,
                                                 boolean approved, String clientIp) {
        JWTClaimsSet claims = verifyTicket(org, pending, ticket, csrf)
                .orElseThrow(() -> new Stop(page(400, LoginPages.error(EXPIRED_FORM))));
        String orgId = org.keys().orgId();
        String userId = claims.getSubject();
        String clientId = pending.client().clientId();
        Set<String> scopes = approved ? Scopes.parse((String) claims.getClaim("scope")) : Set.of();
        String userCodeHash = pending.authorization().userCodeHash();
        boolean decided = store.record(tx -> {
            boolean changed = tx.deviceAuthorizations().decide(orgId, userCodeHash, approved, userId, scopes,
                    clock.instant());
            if (changed && approved) {
                tx.consents().grant(orgId, userId, clientId, scopes);
            }
            return changed;
        });
        if (!decided) {
            return page(200, LoginPages.deviceCode(org.action(), pending.code(), csrf, USED_CODE));
        }
        audit.record(orgId, approved ? "device.authorized" : "device.denied", userId, clientId, clientIp,
                approved && !scopes.isEmpty() ? Scopes.join(scopes) : null);
        log.debug("device authorization for client {} of organization {} {}", clientId, orgId,
                approved ? "approved" : "denied");
        return approved ? page(200, LoginPages.deviceDone("Device connected", APPROVED))
                : page(200, LoginPages.deviceDone("Device not connected", DENIED));
    }

    private Optional<JWTClaimsSet> verifyTicket(Org org, Pending pending, String ticket, String csrf) {
        return ConsentTickets.verify(ticket, TICKET_TYPE, org.keys().publicKeys(), new JWTClaimsSet.Builder()
                .issuer(org.endpoints().issuer())
                .claim("client_id", pending.client().clientId())
                .claim("code", ClientSecrets.hash(pending.code()))
                .claim("csrf", ClientSecrets.hash(csrf))
                .build(), clock);
    }

    private Org organization(String orgHandle) {
        SigningKeys.OrgKeys org = keys.ofOrganization(orgHandle)
                .orElseThrow(() -> new Stop(page(404, LoginPages.error("This organization does not exist."))));
        return new Org(org, Endpoints.of(config.publicBaseUrl(), orgHandle));
    }

    private AuthorizationEndpoint.Outcome guarded(String orgHandle, Supplier<AuthorizationEndpoint.Outcome> work) {
        try {
            return work.get();
        } catch (Stop stop) {
            return stop.outcome;
        } catch (RuntimeException e) {
            log.error("device verification for organization {} failed", orgHandle, e);
            return page(500, LoginPages.error("Something went wrong. Try again later."));
        }
    }

    private boolean noUser(String password) {
        hasher.verifyAgainstNoUser(password);
        return false;
    }

    private static AuthorizationEndpoint.Outcome page(int status, String html) {
        return new AuthorizationEndpoint.Outcome.Page(status, html);
    }

    /** The value of a parameter given exactly once; null when absent or repeated. */
    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.size() != 1 ? null : values.get(0);
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private record Org(SigningKeys.OrgKeys keys, Endpoints endpoints) {

        String action() {
            return endpoints.deviceVerificationUri();
        }
    }

    /** A pending, unexpired authorization, its client, and its user code as shown ({@code XXXX-XXXX}). */
    private record Pending(DeviceAuthorization authorization, OAuthClient client, String code) {
    }

    /** Ends the handling of a request with a page; stackless, for it is an expected one. */
    private static final class Stop extends RuntimeException {

        private final transient AuthorizationEndpoint.Outcome outcome;

        Stop(AuthorizationEndpoint.Outcome outcome) {
            super(null, null, false, false);
            this.outcome = outcome;
        }
    }
}
