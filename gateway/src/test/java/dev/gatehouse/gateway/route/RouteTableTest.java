package dev.gatehouse.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static RouteResource resource(String method, String template) {
        return new RouteResource(method, template, Set.of());
    }

    private static RoutedApi api(String id, String org, String context, String version, Lifecycle lifecycle,
                                 RouteResource... resources) {
        return new RoutedApi(id, org, id, context, version, "http://backend", lifecycle, List.of(resources), false,
                Set.of());
    }

    private static RoutedApi orders(RouteResource... resources) {
        return api("orders", "acme", "/orders", "v1", Lifecycle.PUBLISHED, resources);
    }

    private static RouteMatch.Found found(RouteMatch match) {
        assertThat(match).isInstanceOf(RouteMatch.Found.class);
        return (RouteMatch.Found) match;
    }

    @Test
    void parameterSegment_matchesAnyOneSegment_andKeepsTheRawResourcePath() {
        RouteTable table = RouteTable.compile(List.of(orders(resource("GET", "/orders/{id}"))));

        RouteMatch.Found match = found(table.lookup("GET", "/acme/orders/v1/orders/42%2F7"));

        assertThat(match.resource().pathTemplate()).isEqualTo("/orders/{id}");
        assertThat(match.resourcePath()).isEqualTo("/orders/42%2F7");
        assertThat(table.lookup("GET", "/acme/orders/v1/orders")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/acme/orders/v1/orders/42/items")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void literalSegment_beatsParameter_whicheverIsDeclaredFirst() {
        RouteTable table = RouteTable.compile(List.of(orders(
                resource("GET", "/orders/{id}"),
                resource("GET", "/orders/summary"))));

        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/summary")).resource().pathTemplate())
                .isEqualTo("/orders/summary");
        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/17")).resource().pathTemplate())
                .isEqualTo("/orders/{id}");
    }

    @Test
    void deadLiteralBranch_fallsBackToTheParameterBranch() {
        RouteTable table = RouteTable.compile(List.of(orders(
                resource("GET", "/orders/new/items"),
                resource("GET", "/orders/{id}"))));

        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/new")).resource().pathTemplate())
                .isEqualTo("/orders/{id}");
        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/new/items")).resource().pathTemplate())
                .isEqualTo("/orders/new/items");
    }

    @Test
    void literalPathWithoutTheMethod_fallsBackToAParameterRouteWithTheMethod() {
        RouteTable table = RouteTable.compile(List.of(orders(
                resource("GET", "/orders/summary"),
                resource("DELETE", "/orders/{id}"))));

        assertThat(found(table.lookup("DELETE", "/acme/orders/v1/orders/summary")).resource().pathTemplate())
                .isEqualTo("/orders/{id}");
    }

    @Test
    void pathWithoutTheMethod_isMethodNotAllowed_listingEveryMethodOfThatPath() {
        RouteTable table = RouteTable.compile(List.of(orders(
                resource("GET", "/orders/summary"),
                resource("POST", "/orders/{id}"),
                resource("get", "/orders"))));

        assertThat(table.lookup("PUT", "/acme/orders/v1/orders/summary"))
                .isEqualTo(new RouteMatch.MethodNotAllowed(Set.of("GET", "POST")));
        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders")).resource().method()).isEqualTo("get");
    }

    @Test
    void oneTrailingSlash_isIgnored_andKeptInTheResourcePath() {
        RouteTable table = RouteTable.compile(List.of(orders(resource("GET", "/orders"), resource("GET", "/"))));

        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/")).resourcePath()).isEqualTo("/orders/");
        assertThat(found(table.lookup("GET", "/acme/orders/v1")).resourcePath()).isEmpty();
        assertThat(found(table.lookup("GET", "/acme/orders/v1/")).resourcePath()).isEqualTo("/");
        assertThat(table.lookup("GET", "/acme/orders/v1/orders//")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/acme//orders/v1/orders")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void dotSegments_neverMatch_evenPercentEncoded() {
        RouteTable table = RouteTable.compile(List.of(orders(resource("GET", "/orders/{id}"))));

        assertThat(table.lookup("GET", "/acme/orders/v1/orders/..")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/acme/orders/v1/orders/%2e%2E")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/acme/orders/v1/orders/.")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/...")).resourcePath())
                .isEqualTo("/orders/...");
    }

    @Test
    void versionsAndContexts_areRoutedApart() {
        RoutedApi v1 = api("orders-v1", "acme", "/orders", "v1", Lifecycle.PUBLISHED, resource("GET", "/items"));
        RoutedApi v2 = api("orders-v2", "acme", "/orders", "v2", Lifecycle.PUBLISHED, resource("GET", "/items"));
        RoutedApi shop = api("shop", "acme", "/shop/orders", "v1", Lifecycle.PUBLISHED, resource("GET", "/items"));
        RouteTable table = RouteTable.compile(List.of(v1, v2, shop));

        assertThat(found(table.lookup("GET", "/acme/orders/v1/items")).api().apiId()).isEqualTo("orders-v1");
        assertThat(found(table.lookup("GET", "/acme/orders/v2/items")).api().apiId()).isEqualTo("orders-v2");
        RouteMatch.Found nested = found(table.lookup("GET", "/acme/shop/orders/v1/items"));
        assertThat(nested.api().apiId()).isEqualTo("shop");
        assertThat(nested.resourcePath()).isEqualTo("/items");
        assertThat(table.lookup("GET", "/acme/orders/v3/items")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/acme/orders/items")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void organizations_areIsolated_byTheFirstSegment() {
        RoutedApi acme = api("acme-orders", "acme", "/orders", "v1", Lifecycle.PUBLISHED, resource("GET", "/items"));
        RoutedApi globex = api("globex-orders", "globex", "/orders", "v1", Lifecycle.PUBLISHED,
                resource("GET", "/items"));
        RouteTable table = RouteTable.compile(List.of(acme, globex));

        assertThat(found(table.lookup("GET", "/acme/orders/v1/items")).api().apiId()).isEqualTo("acme-orders");
        assertThat(found(table.lookup("GET", "/globex/orders/v1/items")).api().apiId()).isEqualTo("globex-orders");
        assertThat(table.lookup("GET", "/initech/orders/v1/items")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/ACME/orders/v1/items")).isInstanceOf(RouteMatch.NotFound.class);
    }

    @Test
    void retiredApis_areNotRouted_butBlockedOnesAre() {
        RoutedApi retired = api("old", "acme", "/old", "v1", Lifecycle.RETIRED, resource("GET", "/items"));
        RoutedApi blocked = api("blocked", "acme", "/blocked", "v1", Lifecycle.BLOCKED, resource("GET", "/items"));
        RouteTable table = RouteTable.compile(List.of(retired, blocked));

        assertThat(table.lookup("GET", "/acme/old/v1/items")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(found(table.lookup("GET", "/acme/blocked/v1/items")).api().lifecycle())
                .isEqualTo(Lifecycle.BLOCKED);
    }

    @Test
    void baseSegmentsAreLiteral_soBracesInAContextMatchOnlyThemselves() {
        RouteTable table = RouteTable.compile(List.of(
                api("odd", "acme", "/{weird}", "v1", Lifecycle.PUBLISHED, resource("GET", "/items"))));

        assertThat(table.lookup("GET", "/acme/anything/v1/items")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(found(table.lookup("GET", "/acme/{weird}/v1/items")).api().apiId()).isEqualTo("odd");
    }

    @Test
    void duplicateRoutes_keepTheFirstApiListed() {
        RoutedApi first = api("first", "acme", "/orders", "v1", Lifecycle.PUBLISHED, resource("GET", "/orders/{id}"));
        RoutedApi second = api("second", "acme", "/orders", "v1", Lifecycle.PUBLISHED,
                resource("GET", "/orders/{orderId}"));

        RouteTable table = RouteTable.compile(List.of(first, second));

        assertThat(found(table.lookup("GET", "/acme/orders/v1/orders/1")).api().apiId()).isEqualTo("first");
    }

    @Test
    void unroutablePaths_areNotFound() {
        RouteTable table = RouteTable.compile(List.of(orders(resource("GET", "/{a}"))));

        assertThat(table.lookup("GET", "")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "*")).isInstanceOf(RouteMatch.NotFound.class);
        assertThat(table.lookup("GET", "/" + "x/".repeat(RouteTable.MAX_SEGMENTS + 1)))
                .isInstanceOf(RouteMatch.NotFound.class);
    }
}
