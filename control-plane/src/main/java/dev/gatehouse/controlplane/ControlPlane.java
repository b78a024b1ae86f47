package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Authenticator;
import dev.gatehouse.controlplane.http.ManagementRouter;
import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.snapshot.GatewaySigningKeys;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The management API: organizations, the publisher's APIs, identity providers, the developer portal's
 * applications, credentials and subscriptions, the built-in identity provider's administration, the gateways'
 * analytics, and the operators' view of the gateway fleet.
 */
public final class ControlPlane {

    private final Vertx vertx;
    private final Authenticator authenticator;
    private final Map<String, Operation> operations = new HashMap<>();

    /**
     * @param signingKeys the key gateways sign backend JWTs with, and where it is published
     * @param clock       for how long identity providers' key-set checks are reused
     */
    public ControlPlane(Vertx vertx, Store store, BuiltInIdentityProvider identity, ControlPlaneConfig config,
                        GatewaySigningKeys signingKeys, Clock clock) {
        this.vertx = vertx;
        this.authenticator = new Authenticator(store, identity, config.operatorOrganization());
        Views views = new Views(config, identity);
        operations.putAll(new OrganizationOperations(store, identity, views).operations());
        operations.putAll(new ApiOperations(store, views, new OpenApiExport(views), new OpenApiImport()).operations());
        operations.putAll(new IdentityProviderOperations(store, identity, views, new ProviderMetadata(),
                new JwksStatus(clock)).operations());
        operations.putAll(new ApplicationOperations(store, identity, views).operations());
        operations.putAll(new BuiltInIdpOperations(store, identity).operations());
        operations.putAll(new FleetOperations(store).operations());
        operations.putAll(new TierOperations(store).operations());
        operations.putAll(new AnalyticsOperations(store).operations());
        operations.putAll(new BackendJwtOperations(store, signingKeys).operations());
        operations.putAll(new ApiKeyOperations(store).operations());
    }

    /** The management API's router, to mount at {@code /api/*}. */
    public Future<Router> router() {
        return ManagementRouter.create(vertx, authenticator, operations);
    }
}
