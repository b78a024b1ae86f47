package dev.gatehouse.controlplane.snapshot;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.Endpoints;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Subscription;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import dev.gatehouse.store.DeploymentRepository.DeployedRevision;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds an environment's {@link GatewaySnapshot} from the store: the revisions deployed there (with the
 * APIs' lifecycle now), every organization's identity providers, credentials and subscriptions.
 *
 * <p>The version is the store's configuration revision read before anything else, so a snapshot is never
 * older than its version says: a write that lands while it is read makes the next poll build again.
 */
public final class SnapshotAssembler {

    private final Store store;
    private final BuiltInIdentityProvider identity;

    public SnapshotAssembler(Store store, BuiltInIdentityProvider identity) {
        this.store = store;
        this.identity = identity;
    }

    /** Blocking: the configuration revision the store is at now. */
    public long currentRevision() {
        return store.configRevision();
    }

    /** Blocking: reads the store. */
    public GatewaySnapshot build(Environment environment) {
        long version = store.configRevision();
        return store.read(tx -> new GatewaySnapshot(version, environment,
                routedApis(tx, environment), issuers(tx), clients(tx), subscriptions(tx)));
    }

    private static List<RoutedApi> routedApis(Repositories tx, Environment environment) {
        return tx.deployments().deployedTo(environment).stream()
                .filter(deployed -> deployed.lifecycle().routable())
                .map(deployed -> routedApi(deployed, environment))
                .toList();
    }

    private static RoutedApi routedApi(DeployedRevision deployed, Environment environment) {
        Api api = deployed.revision().definition();
        List<RouteResource> resources = api.resources().stream()
                .map(resource -> new RouteResource(resource.method(), resource.path(), resource.permissions().stream()
                        .map(p -> Scopes.qualified(deployed.orgHandle(), api.handle(), p))
                        .collect(Collectors.toSet())))
                .toList();
        return new RoutedApi(api.id(), deployed.orgHandle(), api.name(), api.context(), api.version(),
                api.backends().get(environment), deployed.lifecycle(), resources, api.forwardAuthorization(),
                api.corsOrigins());
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

    private static List<ClientBinding> clients(Repositories tx) {
        return tx.credentials().listAll().stream()
                .map(c -> new ClientBinding(c.idpId(), c.clientId(), c.applicationId(), c.keyType()))
                .toList();
    }

    private static List<SubscriptionGrant> subscriptions(Repositories tx) {
        return tx.subscriptions().listAll().stream()
                .map(s -> new SubscriptionGrant(s.applicationId(), s.apiId(), s.tier(),
                        s.status() == Subscription.Status.ACTIVE))
                .toList();
    }
}
