package dev.gatehouse.identity;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCode;
import com.nimbusds.oauth2.sdk.device.UserCode;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.identity.DeviceAuthorization;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device authorization endpoint of every organization ({@code POST /t/{org}/oauth2/device_authorization}),
 * RFC 8628 section 3.1: a device that cannot show a browser (a CLI, a TV) gets a device code to poll the token
 * endpoint with and a user code for its user to type on the verification page.
 *
 * <p><b>What it guarantees.</b> Only a client registered for the {@value ClientRegistration#DEVICE_CODE} grant gets
 * codes, authenticated as at the token endpoint (a confidential one with its secret, a public one by its client ID).
 * Scopes are checked as the authorization endpoint checks them: an unknown one is {@code invalid_scope}, known ones
 * the client is not authorized for are dropped. The device code is 256 random bits; the user code is
 * {@value #USER_CODE_LENGTH} characters of {@value #USER_CODE_ALPHABET} (consonants only: no vowels to spell words,
 * no digits to confuse with letters), about 34 bits, enough with the per-address throttle on the verification page
 * for a code living {@link #LIFETIME}. Both are stored only as SHA-256 hashes. The user code is shown as
 * {@code XXXX-XXXX} and compared in upper case without the dash or spaces.
 *
 * <p><b>What it costs.</b> One store read and one insert that does not move the configuration revision.
 */
final class DeviceAuthorizationEndpoint {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int USER_CODE_LENGTH = 8;
    /** How long an expired authorization is kept, so that a late poll hears {@code expired_token}. */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(DeviceAuthorizationEndpoint.class);
    private static final int INSERT_ATTEMPTS = 3;

    private final Store store;
    private final IdpConfig config;
    private final SigningKeys keys;
    private final ClientSecrets secrets;
    private final Audit audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    DeviceAuthorizationEndpoint(Store store, IdpConfig config, SigningKeys keys, ClientSecrets secrets, Audit audit,
                                Clock clock) {
        this.store = store;
        this.config = config;
        this.keys = keys;
        this.secrets = secrets;
        this.audit = audit;
        this.clock = clock;
    }

    /** Answers one device authorization request; never throws (see {@link TokenEndpoint#handle}). */
    HTTPResponse handle(String orgHandle, String rawQuery, String authorization, String contentType, String body,
                        String clientIp) {
        try {
            return authorize(orgHandle, rawQuery, authorization, contentType, body, clientIp);
        } catch (TokenRefusal refusal) {
            log.debug("device authorization request to {} refused: {}", orgHandle, refusal.code());
            return refusal.toHTTPResponse();
        } catch (RuntimeException e) {
            log.error("device authorization request to organization {} failed", orgHandle, e);
            return TokenRefusal.serverError().toHTTPResponse();
        }
    }

    private HTTPResponse authorize(String orgHandle, String rawQuery, String authorization, String contentType,
                                   String body, String clientIp) {
        SigningKeys.OrgKeys org = keys.ofOrganization(orgHandle).orElseThrow(TokenRefusal::unknownOrganization);
        Endpoints endpoints = Endpoints.of(config.publicBaseUrl(), orgHandle);
        DeviceAuthorizationRequest request = parse(TokenEndpoint.formRequest(
                URI.create(endpoints.deviceAuthorizationEndpoint()), rawQuery, authorization, contentType, body));
        ClientAuthentication clientAuth = request.getClientAuthentication();
        ClientID clientId = clientAuth != null ? clientAuth.getClientID() : request.getClientID();
        if (clientId == null) {
            throw TokenRefusal.invalidClient();
        }
        ClientFacts facts = store.read(tx -> new ClientFacts(
                tx.oauthClients().findByClientId(org.orgId(), clientId.getValue()),
                tx.apiResources().definedScopes(org.orgId())));
        OAuthClient client = TokenEndpoint.authenticate(clientAuth, facts.client());
        if (!client.grantTypes().contains(ClientRegistration.DEVICE_CODE)) {
            throw TokenRefusal.unauthorizedClient(ClientRegistration.DEVICE_CODE);
        }
        Set<String> scopes = new TreeSet<>();
        for (String scope : request.getScope() == null ? List.<String>of() : request.getScope().toStringList()) {
            if (!facts.definedScopes().contains(scope) && !TokenEndpoint.OPENID_SCOPES.contains(scope)) {
                throw TokenRefusal.invalidScope(scope);
            }
            if (client.authorizedScopes().contains(scope) || TokenEndpoint.IDENTITY_SCOPES.contains(scope)) {
                scopes.add(scope);
            }
        }

        String deviceCode = secrets.newSecret();
        Instant now = clock.instant();
        String userCode = insert(client, deviceCode, scopes, now);
        audit.record(client.orgId(), "device.requested", client.clientId(), client.clientId(), clientIp,
                scopes.isEmpty() ? null : Scopes.join(scopes));
        URI verification = URI.create(endpoints.deviceVerificationUri());
        URI complete = URI.create(endpoints.deviceVerificationUri() + "?"
                + URLUtils.serializeParameters(Map.of("user_code", List.of(userCode))));
        HTTPResponse response = new DeviceAuthorizationSuccessResponse(new DeviceCode(deviceCode),
                new UserCode(userCode, USER_CODE_ALPHABET), verification, complete, LIFETIME.toSeconds(),
                INTERVAL.toSeconds(), null).toHTTPResponse();
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        return response;
    }

    /** Stores a new pending authorization and returns its user code, drawing another on the rare collision. */
    private String insert(OAuthClient client, String deviceCode, Set<String> scopes, Instant now) {
        for (int attempt = 1; ; attempt++) {
            String userCode = newUserCode();
            DeviceAuthorization pending = new DeviceAuthorization(ClientSecrets.hash(deviceCode),
                    hashUserCode(userCode).orElseThrow(), client.orgId(), client.clientId(), scopes,
                    DeviceAuthorization.Status.PENDING, null, INTERVAL, 0, null, now.plus(LIFETIME));
            try {
                store.record(tx -> {
                    tx.deviceAuthorizations().deleteExpired(now.minus(KEEP_AFTER_EXPIRY));
                    tx.deviceAuthorizations().add(pending);
                    return null;
                });
                return userCode;
            } catch (StoreConflictException e) {
                if (attempt == INSERT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** A user code as shown: {@code XXXX-XXXX}. */
    private String newUserCode() {
        StringBuilder code = new StringBuilder(USER_CODE_LENGTH + 1);
        for (int i = 0; i < USER_CODE_LENGTH; i++) {
            if (i == USER_CODE_LENGTH / 2) {
                code.append('-');
            }
            code.append(USER_CODE_ALPHABET.charAt(random.nextInt(USER_CODE_ALPHABET.length())));
        }
        return code.toString();
    }

    /**
     * The user code as compared: upper case, without dashes and spaces; empty when what was typed cannot be a user
     * code at all.
     */
    static Optional<String> normalizeUserCode(String typed) {
        if (typed == null || typed.length() > 4 * USER_CODE_LENGTH) {
            return Optional.empty();
        }
        String code = typed.replace("-", "").replaceAll("\\s", "").toUpperCase(Locale.ROOT);
        if (code.length() != USER_CODE_LENGTH || !code.chars().allMatch(c -> USER_CODE_ALPHABET.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(code);
    }

    /** The user code formatted for people: {@code XXXX-XXXX}. */
    static String displayUserCode(String normalized) {
        return normalized.substring(0, USER_CODE_LENGTH / 2) + "-" + normalized.substring(USER_CODE_LENGTH / 2);
    }

    /** What the store keeps of a user code; empty for one that cannot be a user code. */
    static Optional<String> hashUserCode(String typed) {
        return normalizeUserCode(typed).map(ClientSecrets::hash);
    }

    private static DeviceAuthorizationRequest parse(com.nimbusds.oauth2.sdk.http.HTTPRequest httpRequest) {
        try {
            return DeviceAuthorizationRequest.parse(httpRequest);
        } catch (ParseException e) {
            if (e.getErrorObject() == null) {
                throw TokenRefusal.invalidRequest(e.getMessage());
            }
            if (OAuth2Error.INVALID_CLIENT_CODE.equals(e.getErrorObject().getCode())) {
                throw TokenRefusal.invalidClient();
            }
            throw TokenRefusal.fromParser(e.getErrorObject());
        }
    }

    private record ClientFacts(Optional<OAuthClient> client, Set<String> definedScopes) {
    }
}
