package dev.gatehouse.identity;

import com.nimbusds.jose.JWSAlgorithm;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.SigningKeyPolicyRepository.SigningKeyPolicy;
import dev.gatehouse.store.Store;
import io.vertx.ext.web.Router;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in OAuth 2.0 / OpenID Connect identity provider of every organization, in Asgardeo's endpoint layout
 * under the server's public URL:
 * <ul>
 *   <li>{@code GET|POST /t/{org}/oauth2/authorize}: the authorization code flow with PKCE, through a sign-in and
 *       a consent page;</li>
 *   <li>{@code POST /t/{org}/oauth2/token}: the authorization_code, refresh_token (rotated, with reuse
 *       detection), password and client_credentials grants, token exchange (RFC 8693) and the device code grant
 *       (RFC 8628), JWT access tokens (RFC 9068) signed with the organization's keys (RS256, PS256 or ES256,
 *       rotated with overlap), bound to the client's key when the request carries a DPoP proof (RFC 9449);</li>
 *   <li>{@code POST /t/{org}/oauth2/device_authorization}: RFC 8628 device authorization, for CLIs and other
 *       devices without a browser: a device code to poll the token endpoint with, a user code to enter on
 *       {@code GET|POST /t/{org}/oauth2/device}, where the user signs in and approves or denies the device;</li>
 *   <li>{@code GET|POST /t/{org}/oauth2/userinfo}: the OpenID Connect claims of the signed-in user;</li>
 *   <li>{@code GET /t/{org}/oauth2/logout}: OpenID Connect RP-initiated logout;</li>
 *   <li>{@code POST /t/{org}/oauth2/introspect} and {@code /revoke}: RFC 7662 and RFC 7009;</li>
 *   <li>{@code GET /t/{org}/oauth2/jwks}: the organization's public keys;</li>
 *   <li>{@code GET /t/{org}/oauth2/token/.well-known/openid-configuration} and
 *       {@code GET /.well-known/oauth-authorization-server/t/{org}/oauth2/token}: its metadata.</li>
 * </ul>
 * Users hold roles of their own and the roles of their groups (their effective roles), which bound the scopes their
 * tokens may carry; ID tokens and userinfo name the user's groups. Signing keys rotate by hand or, under an
 * organization's policy, by age ({@link #rotateAgedSigningKeys}); private keys are stored sealed under the
 * {@link MasterKey}, and plaintext ones from before sealing are sealed at start ({@link #sealLegacySigningKeys}).
 *
 * <p>The management operations take the {@link Repositories} of the caller's unit of work, so the control plane can
 * compose them into its own transactions; they throw {@link IllegalArgumentException} with a message naming the
 * field for invalid input, and the store's exceptions (a duplicate username, for example) as they come.
 */
public final class BuiltInIdentityProvider {

    /** The public client users get management-API tokens with (password grant, no API scopes). */
    public static final String CLI_CLIENT_ID = "gatehouse-cli";

    /**
     * The public client the console and the developer portal sign users in with: the authorization code grant
     * with PKCE, sending them back to {@value #WEB_CALLBACK_PATH} under the public URL.
     */
    public static final String WEB_CLIENT_ID = "gatehouse-web";
    public static final String WEB_CALLBACK_PATH = "/ui/callback";
    /** Where RP-initiated logout returns the web client's users. */
    public static final String WEB_SIGNED_OUT_PATH = "/ui/signed-out";

    private static final Logger log = LoggerFactory.getLogger(BuiltInIdentityProvider.class);
    private static final List<String> MANAGEMENT_ROLES = List.of(Role.ADMIN, Role.PUBLISHER, Role.SUBSCRIBER);
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_PASSWORD_LENGTH = 1024;

    private final IdpConfig config;
    private final PasswordHasher hasher;
    private final SigningKeys keys;
    private final ClientSecrets secrets;
    private final AccessTokenVerifier verifier;
    private final IdpRoutes routes;
    private final LoginThrottle throttle;
    private final Audit audit;
    private final Store store;
    private final Clock clock;

    /** @param masterKey seals the private signing keys in the store */
    public BuiltInIdentityProvider(Store store, IdpConfig config, PasswordHasher hasher, MasterKey masterKey,
                                   Clock clock) {
        Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keys = new SigningKeys(store, Objects.requireNonNull(masterKey, "masterKey"), clock);
        this.secrets = new ClientSecrets(new SecureRandom());
        OpaqueTokenStore opaqueTokens = new OpaqueTokenStore(store, secrets, clock);
        this.verifier = new AccessTokenVerifier(config.publicBaseUrl(), keys, opaqueTokens, clock);
        this.store = store;
        this.throttle = new LoginThrottle(clock);
        this.audit = new Audit(store);
        DpopProofs dpop = new DpopProofs(clock);
        this.routes = new IdpRoutes(config,
                new TokenEndpoint(store, config, hasher, keys, secrets, verifier, opaqueTokens, throttle, audit, dpop,
                        clock),
                new AuthorizationEndpoint(store, config, hasher, keys, secrets, throttle, audit, clock),
                new UserInfoEndpoint(store, config, verifier, dpop), new LogoutEndpoint(store, config, keys),
                new TokenStatusEndpoint(store, config, keys, verifier, audit, clock),
                new DeviceAuthorizationEndpoint(store, config, keys, secrets, audit, clock),
                new DeviceVerificationEndpoint(store, config, hasher, keys, throttle, audit, clock), keys);
    }

    /** Adds the provider's routes; their handlers run on worker threads. */
    public void mount(Router router) {
        routes.mount(router);
    }

    public Endpoints endpoints(String orgHandle) {
        Objects.requireNonNull(orgHandle, "orgHandle");
        return Endpoints.of(config.publicBaseUrl(), orgHandle);
    }

    /**
     * Sets up a new organization's provider: the roles admin, publisher and subscriber (allowing no scopes), the
     * public clients {@value #CLI_CLIENT_ID} and {@value #WEB_CLIENT_ID}, a first signing key and the built-in
     * identity provider row.
     */
    public void provisionOrganization(Repositories tx, Organization org) {
        Objects.requireNonNull(org, "org");
        for (String role : MANAGEMENT_ROLES) {
            tx.roles().create(org.id(), role, Set.of());
        }
        tx.oauthClients().create(org.id(), "Gatehouse CLI", CLI_CLIENT_ID, null, Set.of(ClientRegistration.PASSWORD),
                Set.of(), config.defaultAccessTokenLifetime());
        registerWebClient(tx, org);
        tx.signingKeys().add(keys.generate(org.id()));
        tx.identityProviders().createBuiltIn(org.id());
    }

    /**
     * Registers the web client {@value #WEB_CLIENT_ID} of an organization, or points its redirect URIs at this
     * server's public URL when that has changed since (a server started with another {@code --public-url}).
     *
     * @return whether the store changed
     */
    public boolean registerWebClient(Repositories tx, Organization org) {
        List<String> redirectUris = List.of(config.publicBaseUrl() + WEB_CALLBACK_PATH,
                config.publicBaseUrl() + WEB_SIGNED_OUT_PATH);
        Optional<OAuthClient> existing = tx.oauthClients().findByClientId(org.id(), WEB_CLIENT_ID);
        if (existing.isEmpty()) {
            tx.oauthClients().create(org.id(), "Gatehouse console and developer portal", WEB_CLIENT_ID, null,
                    Set.of(ClientRegistration.AUTHORIZATION_CODE, ClientRegistration.REFRESH_TOKEN), Set.of(),
                    redirectUris, config.defaultAccessTokenLifetime());
            return true;
        }
        return !existing.get().redirectUris().equals(redirectUris)
                && tx.oauthClients().updateRedirectUris(org.id(), WEB_CLIENT_ID, redirectUris);
    }

    /**
     * Opens one stored, sealed signing key, so that a process started with the wrong master key says so at once
     * rather than at its first token.
     *
     * @throws IllegalStateException when the master key does not open the stored keys
     */
    public void checkMasterKey(Repositories tx) {
        tx.organizations().list().stream()
                .flatMap(org -> tx.signingKeys().list(org.id()).stream())
                .filter(row -> MasterKey.isSealed(row.privateJwk()))
                .findFirst()
                .ifPresent(keys::privateKey);
    }

    /**
     * Seals the private signing keys stored before sealing existed (plaintext JWKs) under the master key: the same
     * keys, stored otherwise, so tokens they signed stay valid. Call it at start, after {@link #checkMasterKey}.
     *
     * @return how many keys were sealed
     */
    public int sealLegacySigningKeys(Repositories tx) {
        int sealed = 0;
        for (Organization org : tx.organizations().list()) {
            for (SigningKey row : tx.signingKeys().list(org.id())) {
                if (!MasterKey.isSealed(row.privateJwk()) && tx.signingKeys().seal(row.kid(), keys.sealed(row))) {
                    sealed++;
                }
            }
        }
        if (sealed > 0) {
            log.info("sealed {} signing keys stored before sealing existed", sealed);
        }
        return sealed;
    }

    /** The organization's published signing keys, oldest first, with the state of each. */
    public List<SigningKeyState> signingKeys(Repositories tx, String orgId) {
        return SigningKeys.statesAt(tx.signingKeys().list(orgId), clock.instant());
    }

    /**
     * Makes the organization's next signing key, for {@code algorithm} (RS256, PS256 or ES256). It is published at
     * once and signs from {@link SigningKeys#PUBLISH_AHEAD} later, so that verifiers caching the key set learn it
     * first; {@code immediately} (after a compromise) makes it sign at once. The key it succeeds stays published
     * until the tokens it signed have expired.
     *
     * @throws IllegalArgumentException for another algorithm
     */
    public SigningKeyState rotateSigningKey(Repositories tx, String orgId, String algorithm, boolean immediately) {
        JWSAlgorithm parsed = JWSAlgorithm.parse(algorithm);
        Instant now = clock.instant();
        SigningKey key = keys.generate(orgId, parsed, immediately ? now : now.plus(SigningKeys.PUBLISH_AHEAD));
        tx.signingKeys().add(key);
        keys.published();
        return signingKeys(tx, orgId).stream().filter(state -> state.kid().equals(key.kid())).findFirst()
                .orElseThrow();
    }

    /** The longest a policy may let a key sign: ten years. */
    public static final int MAX_ROTATE_AFTER_DAYS = 3650;

    /** The organization's policy for rotating its signing key by age; off (0 days, RS256) when it has none. */
    public SigningKeyPolicyState signingKeyPolicy(Repositories tx, String orgId) {
        SigningKeyPolicy policy = tx.signingKeyPolicies().find(orgId)
                .orElse(new SigningKeyPolicy(orgId, 0, SigningKeys.DEFAULT_ALGORITHM.getName()));
        Instant next = policy.rotateAfterDays() == 0 ? null : newestKey(tx, orgId)
                .map(key -> latest(key.signsFrom().plus(Duration.ofDays(policy.rotateAfterDays())), clock.instant()))
                .orElse(null);
        return new SigningKeyPolicyState(policy.rotateAfterDays(), policy.algorithm(), next);
    }

    /**
     * Sets the organization's policy for rotating its signing key by age: once its newest key has signed for
     * {@code rotateAfterDays} days, {@link #rotateAgedSigningKeys} makes the next one, for {@code algorithm}, with the
     * overlap of {@link #rotateSigningKey}. 0 turns rotation by age off.
     *
     * @throws IllegalArgumentException naming rotateAfterDays or algorithm
     */
    public SigningKeyPolicyState setSigningKeyPolicy(Repositories tx, String orgId, int rotateAfterDays,
                                                     String algorithm) {
        if (rotateAfterDays < 0 || rotateAfterDays > MAX_ROTATE_AFTER_DAYS) {
            throw new IllegalArgumentException("rotateAfterDays must be 0 (off) to " + MAX_ROTATE_AFTER_DAYS
                    + ", was " + rotateAfterDays);
        }
        if (algorithm == null || !SigningKeys.ALGORITHMS.contains(JWSAlgorithm.parse(algorithm))) {
            throw new IllegalArgumentException("algorithm must be one of RS256, PS256 or ES256, was " + algorithm);
        }
        tx.signingKeyPolicies().put(new SigningKeyPolicy(orgId, rotateAfterDays, algorithm));
        return signingKeyPolicy(tx, orgId);
    }

    /**
     * The periodic check: rotates the signing key of every organization whose newest key has signed for as long as
     * its policy allows, by the clock this provider was given, each in a transaction of its own. A rotation that is
     * still to take effect (its key published but not signing yet) is not made again. Several control-plane replicas
     * may run this at once on one database: each rotation is claimed by a conditional write on the policy's row
     * (the key rotated away from, compared in the transaction that adds the next key), so only one replica rotates
     * and the others' attempts change nothing.
     *
     * @return the keys made, one per organization rotated
     */
    public List<SigningKeyState> rotateAgedSigningKeys() {
        List<String> orgIds = store.read(tx -> tx.signingKeyPolicies().listEnabled().stream()
                .map(SigningKeyPolicy::orgId).toList());
        List<SigningKeyState> made = new ArrayList<>();
        for (String orgId : orgIds) {
            try {
                store.write(tx -> rotateIfAged(tx, orgId)).ifPresent(key -> {
                    log.info("rotated the signing key of organization {} by age: {} signs from {}", orgId,
                            key.kid(), key.signsFrom());
                    made.add(key);
                });
            } catch (RuntimeException e) {
                log.warn("could not check the age of organization {}'s signing key: {}", orgId, e.toString());
            }
        }
        return made;
    }

    /** {@link #rotateAgedSigningKeys} for one organization, in the caller's transaction. */
    public Optional<SigningKeyState> rotateIfAged(Repositories tx, String orgId) {
        Optional<SigningKeyPolicy> policy = tx.signingKeyPolicies().find(orgId)
                .filter(found -> found.rotateAfterDays() > 0);
        Optional<SigningKey> newest = newestKey(tx, orgId);
        Instant now = clock.instant();
        if (policy.isEmpty() || newest.isEmpty() || newest.get().signsFrom().isAfter(now)
                || now.isBefore(newest.get().signsFrom().plus(Duration.ofDays(policy.get().rotateAfterDays())))
                || !tx.signingKeyPolicies().claimRotation(orgId, newest.get().kid())) {
            return Optional.empty();
        }
        SigningKeyState next = rotateSigningKey(tx, orgId, policy.get().algorithm(), false);
        tx.auditEvents().add(orgId, "signing_key.rotated", "gatehouse", null, null,
                "after " + policy.get().rotateAfterDays() + " days: " + newest.get().kid() + " -> " + next.kid());
        return Optional.of(next);
    }

    /** The active key that signs last: the one signing now, or the one still to sign after a rotation. */
    private static Optional<SigningKey> newestKey(Repositories tx, String orgId) {
        return tx.signingKeys().list(orgId).stream().filter(SigningKey::active)
                .max(Comparator.comparing(SigningKey::signsFrom).thenComparing(SigningKey::kid));
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * Creates a user with a hashed password and existing roles of the organization.
     *
     * @throws IllegalArgumentException for a username outside {@code [A-Za-z0-9._@-]{1,100}}, a password shorter
     *                                  than 8 characters, or an unknown role
     */
    public User createUser(Repositories tx, String orgId, String username, String password, Set<String> roles) {
        Objects.requireNonNull(orgId, "orgId");
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException(
                    "username must be 1 to 100 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'");
        }
        checkPasswordRules("password", password);
        Set<String> roleNames = roles == null ? Set.of() : Set.copyOf(roles);
        return tx.users().create(orgId, username, hasher.hash(password), roleNames);
    }

    private static void checkPasswordRules(String field, String password) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException(field + " must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException(field + " must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
    }

    /** What became of a user's request to change their password. */
    public enum PasswordChange { CHANGED, WRONG_PASSWORD, THROTTLED }

    /**
     * A user changes their own password. The current one must be right, checked under the same throttle as
     * sign-ins (per username and per address); the new one follows the rules for passwords; every refresh token the
     * user holds is revoked, so that sessions held elsewhere end. Each outcome is audited, never with a password.
     *
     * @throws IllegalArgumentException when the new password breaks the rules (the message names newPassword)
     */
    public PasswordChange changePassword(User user, String currentPassword, String newPassword, String clientIp) {
        checkPasswordRules("newPassword", newPassword);
        if (!throttle.allows(user.orgId(), user.username(), clientIp)) {
            audit.record(user.orgId(), "password.change.throttled", user.username(), null, clientIp, null);
            return PasswordChange.THROTTLED;
        }
        if (currentPassword == null || !hasher.verify(currentPassword, user.passwordHash())) {
            throttle.failed(user.orgId(), user.username(), clientIp);
            audit.record(user.orgId(), "password.change.failed", user.username(), null, clientIp, null);
            return PasswordChange.WRONG_PASSWORD;
        }
        String hash = hasher.hash(newPassword);
        int ended = store.record(tx -> {
            tx.users().setPasswordHash(user.id(), hash);
            return tx.refreshTokens().revokeForUser(user.id());
        });
        throttle.succeeded(user.orgId(), user.username());
        audit.record(user.orgId(), "password.changed", user.username(), null, clientIp,
                ended + " refresh tokens revoked");
        return PasswordChange.CHANGED;
    }

    /**
     * Registers an OAuth client with a generated client ID and, for a confidential client, a generated secret
     * that is returned once and stored only as a hash.
     *
     * @throws IllegalArgumentException when an authorized scope is not defined by any API resource of the
     *                                  organization
     */
    public RegisteredClient registerClient(Repositories tx, String orgId, ClientRegistration registration) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(registration, "registration");
        Set<String> defined = tx.apiResources().definedScopes(orgId);
        for (String scope : new TreeSet<>(registration.authorizedScopes())) {
            if (!defined.contains(scope)) {
                throw new IllegalArgumentException("authorizedScopes: scope '" + scope
                        + "' is not defined by any API resource of the organization");
            }
        }
        String secret = registration.confidential() ? secrets.newSecret() : null;
        Duration lifetime = Optional.ofNullable(registration.accessTokenLifetime())
                .orElse(config.defaultAccessTokenLifetime());
        OAuthClient client = tx.oauthClients().create(orgId, registration.name(), secrets.newClientId(),
                secret == null ? null : ClientSecrets.hash(secret), registration.grantTypes(),
                registration.authorizedScopes(), registration.redirectUris(), lifetime,
                registration.dpopBoundAccessTokens());
        return new RegisteredClient(client, secret);
    }

    /**
     * Checks an access token issued by any organization's built-in provider on this server, with that
     * organization's keys: algorithm, type, signature, issuer, {@code exp} and {@code nbf}. Empty for any token
     * that fails; it does not check the audience. Keys are cached in memory; on a miss this reads the store, so
     * call it off the event loop.
     */
    public Optional<VerifiedToken> verify(String jwt) {
        return verifier.verify(jwt);
    }
}
