package dev.gatehouse.gateway;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The organizations, identity providers, APIs, applications and subscriptions the gateway tests run against.
 *
 * <p>Organization {@code acme} trusts three issuers (plain, with an audience, and one with a custom claim mapping
 * putting the client ID in {@code cid} and scopes in an {@code scp} array), all publishing {@link #ACME_KEY};
 * {@code globex} trusts its own issuer publishing {@link #GLOBEX_KEY}. Application {@code app-prod} has production
 * credentials and subscribes to everything of acme; {@code app-sandbox} has sandbox credentials;
 * {@code app-unsubscribed} subscribes to nothing; {@code app-inactive}'s subscription is not active. Only API
 * {@code Passthrough} asks for the caller's {@code Authorization} header to be forwarded; only API {@code Orders}
 * allows a browser origin, {@link #CORS_ORIGIN}.
 */
final class TestWorld {

    static final String ACME_ISSUER = "https://idp.acme.test";
    static final String ACME_AUD_ISSUER = "https://aud.acme.test";
    static final String ACME_SCP_ISSUER = "https://scp.acme.test";
    static final String GLOBEX_ISSUER = "https://idp.globex.test";
    static final String AUDIENCE = "https://api.acme.test";
    static final String READ = "urn:acme:orders:read";
    static final String WRITE = "urn:acme:orders:write";
    static final String ADMIN = "urn:acme:orders:admin";
    static final String CORS_ORIGIN = "https://app.acme.test";

    static final RSAKey ACME_KEY = Tokens.rsaKey("acme-1");
    static final ECKey ACME_EC_KEY = Tokens.ecKey("acme-ec-1");
    static final RSAKey GLOBEX_KEY = Tokens.rsaKey("globex-1");

    private TestWorld() {
    }

    static GatewayConfig config(Environment environment) {
        return new GatewayConfig(environment, "127.0.0.1", 0, Duration.ofSeconds(1), Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(2), GatewayConfig.defaults(environment, 0)
                .allowedAlgorithms(), Duration.ofSeconds(30), GatewayConfig.Limits.DEFAULT);
    }

    static List<TrustedIssuer> issuers(Function<String, String> jwksUri) {
        return List.of(
                new TrustedIssuer("acme-idp", "acme", ACME_ISSUER, jwksUri.apply("/acme"), ClaimMapping.DEFAULT, null),
                new TrustedIssuer("acme-aud-idp", "acme", ACME_AUD_ISSUER, jwksUri.apply("/acme"),
                        ClaimMapping.DEFAULT, AUDIENCE),
                new TrustedIssuer("acme-scp-idp", "acme", ACME_SCP_ISSUER, jwksUri.apply("/acme"),
                        new ClaimMapping(List.of("cid"), "scp"), null),
                new TrustedIssuer("globex-idp", "globex", GLOBEX_ISSUER, jwksUri.apply("/globex"),
                        ClaimMapping.DEFAULT, null));
    }

    static List<RoutedApi> apis(String backendUrl, String unreachableBackendUrl) {
        return List.of(
                new RoutedApi("api-orders", "acme", "Orders", "/orders", "v1", backendUrl, Lifecycle.PUBLISHED,
                        List.of(new RouteResource("GET", "/orders", Set.of(READ)),
                                new RouteResource("GET", "/orders/{id}", Set.of(READ)),
                                new RouteResource("POST", "/orders", Set.of(WRITE, ADMIN)),
                                new RouteResource("HEAD", "/orders", Set.of()),
                                new RouteResource("GET", "/public", Set.of()),
                                new RouteResource("POST", "/upload", Set.of()),
                                new RouteResource("GET", "/slow", Set.of()),
                                new RouteResource("GET", "/stall", Set.of())), false, Set.of(CORS_ORIGIN)),
                new RoutedApi("api-legacy", "acme", "Legacy", "/legacy", "v1", backendUrl, Lifecycle.BLOCKED,
                        List.of(new RouteResource("GET", "/items", Set.of())), false, Set.of()),
                new RoutedApi("api-old", "acme", "Old", "/old", "v1", backendUrl, Lifecycle.RETIRED,
                        List.of(new RouteResource("GET", "/items", Set.of())), false, Set.of()),
                new RoutedApi("api-down", "acme", "Down", "/down", "v1", unreachableBackendUrl, Lifecycle.PUBLISHED,
                        List.of(new RouteResource("GET", "/items", Set.of())), false, Set.of()),
                new RoutedApi("api-passthrough", "acme", "Passthrough", "/passthrough", "v1", backendUrl,
                        Lifecycle.PUBLISHED, List.of(new RouteResource("GET", "/items", Set.of())), true, Set.of()),
                new RoutedApi("api-globex", "globex", "Globex orders", "/orders", "v1", backendUrl,
                        Lifecycle.PUBLISHED, List.of(new RouteResource("GET", "/orders", Set.of())), false, Set.of()));
    }

    static List<ClientBinding> clients() {
        return List.of(
                new ClientBinding("acme-idp", "prod-client", "app-prod", KeyType.PRODUCTION),
                new ClientBinding("acme-idp", "sandbox-client", "app-sandbox", KeyType.SANDBOX),
                new ClientBinding("acme-idp", "unsubscribed-client", "app-unsubscribed", KeyType.PRODUCTION),
                new ClientBinding("acme-idp", "inactive-client", "app-inactive", KeyType.PRODUCTION),
                new ClientBinding("acme-aud-idp", "prod-client", "app-prod", KeyType.PRODUCTION),
                new ClientBinding("acme-scp-idp", "scp-client", "app-prod", KeyType.PRODUCTION),
                new ClientBinding("globex-idp", "globex-client", "app-globex", KeyType.PRODUCTION));
    }

    static List<SubscriptionGrant> subscriptions() {
        List<SubscriptionGrant> grants = new ArrayList<>();
        for (String api : List.of("api-orders", "api-legacy", "api-down", "api-passthrough")) {
            grants.add(new SubscriptionGrant("app-prod", api, "Unlimited", true));
            grants.add(new SubscriptionGrant("app-sandbox", api, "Unlimited", true));
        }
        grants.add(new SubscriptionGrant("app-inactive", "api-orders", "Unlimited", false));
        grants.add(new SubscriptionGrant("app-globex", "api-globex", "Unlimited", true));
        return grants;
    }

    static GatewaySnapshot snapshot(long version, Environment environment, Function<String, String> jwksUri,
                                    String backendUrl, String unreachableBackendUrl) {
        return new GatewaySnapshot(version, environment, apis(backendUrl, unreachableBackendUrl), issuers(jwksUri),
                clients(), subscriptions());
    }
}
