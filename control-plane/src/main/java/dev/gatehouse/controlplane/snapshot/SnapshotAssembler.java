package dev.gatehouse.controlplane.snapshot;

import dev.gatehouse.controlplane.Tiers;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.Endpoints;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.ApiKey;
import dev.gatehouse.model.consumer.Subscription;
import dev.gatehouse.model.snapshot.ApiKeyBinding;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RevokedToken;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import dev.gatehouse.store.ApplicationRepository;
import dev.gatehouse.store.DeploymentRepository.DeployedRevision;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.RevokedAccessTokenRepository;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.SubscriptionRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds an environment's {@link GatewaySnapshot} from the store: the revisions deployed there (with the
 * APIs' lifecycle now), every organization's identity providers, credentials and subscriptions, each with the
 * rate limit of its tier (the resource's, the API's, the application's, the subscription's). A subscription whose tier is gone is
 * sent inactive, never unlimited; an API or application whose tier is gone fails the build, and the gateways keep
 * the snapshot they have. It also carries the built-in identity provider's revoked access tokens until they expire,
 * so a revocation is enforced by every gateway with the next snapshot; and, when an API asks for backend JWTs, the
 * {@link GatewaySigningKeys key} to sign them with.
 *
 * <p>The version is the store's configuration revision read before anything else, so a snapshot is never
 * older than its version says: a write that lands while it is read makes the next poll build again.
 */
public final class SnapshotAssembler {

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final GatewaySigningKeys signingKeys;

    public SnapshotAssembler(Store store, BuiltInIdentityProvider identity, GatewaySigningKeys signingKeys) {
        this.store = store;
        this.identity = identity;
        this.signingKeys = signingKeys;
    }

    /** Blocking: the configuration revision the store is at now. */
    public long currentRevision() {
        return store.configRevision();
    }

    /** Blocking: reads the store. */
    public GatewaySnapshot build(Environment environment) {
        long version = store.configRevision();
        GatewaySnapshot snapshot = store.read(tx -> {
            Tiers.Catalog tiers = Tiers.catalog(tx);
            return new GatewaySnapshot(version, environment, routedApis(tx, environment, tiers), issuers(tx),
                    clients(tx, tiers), subscriptions(tx, tiers), revokedTokens(tx), null, apiKeys(tx, tiers));
        });
        if (snapshot.apis().stream().noneMatch(api -> api.backendJwtHeader() != null)) {
            return snapshot;
        }
        return new GatewaySnapshot(version, environment, snapshot.apis(), snapshot.issuers(), snapshot.clients(),
                snapshot.subscriptions(), snapshot.revokedTokens(), signingKeys.signingKey(), snapshot.apiKeys());
    }

    private static List<RoutedApi> routedApis(Repositories tx, Environment environment, Tiers.Catalog tiers) {
        Map<String, String> apiTiers = tx.apis().tiers();
        Map<String, String> resourceTiers = tx.apis().resourceTiers();
        Map<String, String> backendJwtHeaders = tx.apis().backendJwtHeaders();
        Map<String, String> apiKeyHeaders = tx.apis().apiKeyHeaders();
        return tx.deployments().deployedTo(environment).stream()
                .filter(deployed -> deployed.lifecycle().routable())
                .map(deployed -> routedApi(deployed, environment, tiers, apiTiers, resourceTiers, backendJwtHeaders,
                        apiKeyHeaders))
                .toList();
    }

    private static RoutedApi routedApi(DeployedRevision deployed, Environment environment, Tiers.Catalog tiers,
                                       Map<String, String> apiTiers, Map<String, String> resourceTiers,
                                       Map<String, String> backendJwtHeaders, Map<String, String> apiKeyHeaders) {
        Api api = deployed.revision().definition();
        List<RouteResource> resources = api.resources().stream()
                .map(resource -> new RouteResource(resource.method(), resource.path(), resource.permissions().stream()
                        .map(p -> Scopes.qualified(deployed.orgHandle(), api.handle(), p))
                        .collect(Collectors.toSet()),
                        tiers.limit(api.orgId(), resourceTiers.getOrDefault(resource.id(), Tiers.UNLIMITED))
                                .orElse(null)))
                .toList();
        RateLimit limit = tiers.limit(api.orgId(), apiTiers.getOrDefault(api.id(), Tiers.UNLIMITED)).orElse(null);
        return new RoutedApi(api.id(), deployed.orgHandle(), api.name(), api.context(), api.version(),
                api.backends().get(environment), deployed.lifecycle(), resources, api.forwardAuthorization(),
                api.corsOrigins(), limit, backendJwtHeaders.get(api.id()), apiKeyHeaders.get(api.id()));
    }

    private List<TrustedIssuer> issuers(Repositories tx) {
        Map<String, Organization> organizations = tx.organizations().list().stream()
                .collect(Collectors.toMap(Organization::id, Function.identity()));
        return tx.identityProviders().listAll().stream()
                .map(idp -> issuer(organizations.get(idp.orgId()), idp))
                .toList();
    }

    private TrustedIssuer issuer(Organization org, IdentityProvider idp) {
        if (idp.builtIn()) {
            Endpoints endpoints = identity.endpoints(org.handle());
            return new TrustedIssuer(idp.id(), org.handle(), endpoints.issuer(), endpoints.jwksUri(), idp.claims(),
                    idp.audience());
        }
        return new TrustedIssuer(idp.id(), org.handle(), idp.issuer(), idp.jwksUri(), idp.claims(), idp.audience());
    }

    /**
     * The access tokens the built-in identity provider revoked that have not expired yet, named by the issuer of the
     * organization that issued them; expired ones are left out, as their {@code exp} refuses them anyway.
     */
    private List<RevokedToken> revokedTokens(Repositories tx) {
        List<RevokedAccessTokenRepository.Revocation> revocations =
                tx.revokedAccessTokens().unexpired(store.clock().instant());
        if (revocations.isEmpty()) {
            return List.of();
        }
        Map<String, String> handles = tx.organizations().list().stream()
                .collect(Collectors.toMap(Organization::id, Organization::handle));
        return revocations.stream()
                .map(revoked -> new RevokedToken(identity.endpoints(handles.get(revoked.orgId())).issuer(),
                        revoked.jti(), revoked.expiresAt()))
                .toList();
    }

    private static List<ClientBinding> clients(Repositories tx, Tiers.Catalog tiers) {
        Map<String, ApplicationRepository.OrgTierName> applicationTiers = tx.applications().tiers();
        return tx.credentials().listAll().stream()
                .map(c -> new ClientBinding(c.idpId(), c.clientId(), c.applicationId(), c.keyType(),
                        applicationLimit(applicationTiers, tiers, c.applicationId())))
                .toList();
    }

    /** The limit of the application's own tier; null when unlimited. */
    private static RateLimit applicationLimit(Map<String, ApplicationRepository.OrgTierName> applicationTiers,
                                              Tiers.Catalog tiers, String applicationId) {
        ApplicationRepository.OrgTierName tier = applicationTiers.get(applicationId);
        return tier == null ? null : tiers.limit(tier.orgId(), tier.tier()).orElse(null);
    }

    /** Every application's API keys, by digest, each with the application's own tier. */
    private static List<ApiKeyBinding> apiKeys(Repositories tx, Tiers.Catalog tiers) {
        Map<String, ApplicationRepository.OrgTierName> applicationTiers = tx.applications().tiers();
        return tx.apiKeys().listAll().stream()
                .map(digested -> {
                    ApiKey key = digested.key();
                    return new ApiKeyBinding(digested.digest(), key.id(), key.applicationId(), key.keyType(),
                            applicationLimit(applicationTiers, tiers, key.applicationId()));
                })
                .toList();
    }

    /** Each subscription with its tier's limit; one whose tier has gone is refused rather than let through unlimited. */
    private static List<SubscriptionGrant> subscriptions(Repositories tx, Tiers.Catalog tiers) {
        List<SubscriptionGrant> grants = new ArrayList<>();
        for (SubscriptionRepository.OrgSubscription held : tx.subscriptions().listAllWithOrganization()) {
            Subscription s = held.subscription();
            boolean active = s.status() == Subscription.Status.ACTIVE;
            RateLimit limit;
            try {
                limit = tiers.limit(held.orgId(), s.tier()).orElse(null);
            } catch (NoSuchElementException e) {
                active = false;
                limit = null;
            }
            grants.add(new SubscriptionGrant(s.applicationId(), s.apiId(), s.tier(), active, limit));
        }
        return grants;
    }
}
