package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.ApiRevision;
import dev.gatehouse.model.api.Deployment;
import dev.gatehouse.model.api.Permission;
import dev.gatehouse.model.api.Resource;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.DeploymentRepository.DeployedRevision;
import dev.gatehouse.store.testing.StoreBackend;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class DeploymentRepositoryTest {

    private final Store store;
    private final TestClock clock;

    DeploymentRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void revision_keepsTheWholeApiDefinitionExactly() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Api definition = new Api(api.id(), org.id(), "Orders", "orders", "v3", "/orders",
                "Orders, \"quoted\" & ünïcode", Lifecycle.PUBLISHED, Seed.BACKENDS,
                List.of(new Permission("read", "Read orders"), new Permission("write", "Place orders")),
                List.of(new Resource("r1", "GET", "/orders/{id}", Set.of("read", "write")),
                        new Resource("r2", "POST", "/orders", Set.of())),
                Instant.parse("2029-12-31T23:59:59.123456789Z"), Instant.parse("2030-01-01T00:00:00.000000001Z"),
                true, Set.of("https://app.example.com"));

        ApiRevision created = store.write(r -> r.deployments().createRevision(definition));

        List<ApiRevision> revisions = store.read(r -> r.deployments().revisions(api.id()));
        assertThat(revisions).containsExactly(created);
        assertThat(revisions.getFirst().definition()).isEqualTo(definition);
    }

    @Test
    void revisions_areNumberedFromOneInOrder() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");

        ApiRevision first = store.write(r -> r.deployments().createRevision(api));
        ApiRevision second = store.write(r -> r.deployments().createRevision(api));

        List<ApiRevision> revisions = store.read(r -> r.deployments().revisions(api.id()));
        assertThat(revisions).containsExactly(first, second);
        assertThat(revisions).extracting(ApiRevision::number).containsExactly(1, 2);
    }

    @Test
    void deploy_pointsTheEnvironmentAtTheRevision() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        ApiRevision revision = store.write(r -> r.deployments().createRevision(api));

        Deployment deployment = store.write(r -> r.deployments().deploy(revision, Environment.PRODUCTION));

        List<Deployment> deployments = store.read(r -> r.deployments().deployments(api.id()));
        Optional<ApiRevision> deployed =
                store.read(r -> r.deployments().deployedRevision(api.id(), Environment.PRODUCTION));
        Optional<ApiRevision> notDeployed =
                store.read(r -> r.deployments().deployedRevision(api.id(), Environment.DEVELOPMENT));
        assertThat(deployments).containsExactly(deployment);
        assertThat(deployment.revisionNumber()).isEqualTo(1);
        assertThat(deployed).contains(revision);
        assertThat(notDeployed).isEmpty();
    }

    @Test
    void deployAgain_replacesWhatTheEnvironmentServed() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        ApiRevision first = store.write(r -> r.deployments().createRevision(api));
        ApiRevision second = store.write(r -> r.deployments().createRevision(api));
        store.write(r -> r.deployments().deploy(first, Environment.PRODUCTION));
        clock.advance(Duration.ofMinutes(1));

        Deployment redeployed = store.write(r -> r.deployments().deploy(second, Environment.PRODUCTION));

        List<Deployment> deployments = store.read(r -> r.deployments().deployments(api.id()));
        assertThat(deployments).containsExactly(redeployed);
        assertThat(redeployed.revisionNumber()).isEqualTo(2);
        assertThat(redeployed.deployedAt()).isEqualTo(clock.instant());
    }

    @Test
    void deployments_listEachEnvironmentOnce_developmentFirst() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        ApiRevision first = store.write(r -> r.deployments().createRevision(api));
        ApiRevision second = store.write(r -> r.deployments().createRevision(api));

        store.write(r -> r.deployments().deploy(first, Environment.PRODUCTION));
        store.write(r -> r.deployments().deploy(second, Environment.DEVELOPMENT));

        List<Deployment> deployments = store.read(r -> r.deployments().deployments(api.id()));
        assertThat(deployments).extracting(Deployment::environment, Deployment::revisionNumber)
                .containsExactly(tuple(Environment.DEVELOPMENT, 2),
                        tuple(Environment.PRODUCTION, 1));
    }

    @Test
    void undeploy_removesTheDeploymentAndTellsWhetherThereWasOne() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        ApiRevision revision = store.write(r -> r.deployments().createRevision(api));
        store.write(r -> r.deployments().deploy(revision, Environment.PRODUCTION));

        boolean undeployed = store.write(r -> r.deployments().undeploy(api.id(), Environment.PRODUCTION));
        boolean undeployedAgain = store.write(r -> r.deployments().undeploy(api.id(), Environment.PRODUCTION));

        List<Deployment> deployments = store.read(r -> r.deployments().deployments(api.id()));
        assertThat(undeployed).isTrue();
        assertThat(undeployedAgain).isFalse();
        assertThat(deployments).isEmpty();
    }

    @Test
    void deletingADeployedApi_removesItsRevisionsAndDeployments() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        ApiRevision revision = store.write(r -> r.deployments().createRevision(api));
        store.write(r -> r.deployments().deploy(revision, Environment.PRODUCTION));

        boolean deleted = store.write(r -> r.apis().delete(org.id(), api.id()));

        List<ApiRevision> revisions = store.read(r -> r.deployments().revisions(api.id()));
        List<Deployment> deployments = store.read(r -> r.deployments().deployments(api.id()));
        assertThat(deleted).isTrue();
        assertThat(revisions).isEmpty();
        assertThat(deployments).isEmpty();
    }

    @Test
    void deployedTo_givesEachRevisionWithItsOrganizationHandleAndTheApisLifecycleNow(StoreBackend backend) {
        try (Store fresh = backend.open(clock)) {
            Organization globex = fresh.write(r -> r.organizations().create("globex", "Globex"));
            Organization acme = fresh.write(r -> r.organizations().create("acme", "Acme"));
            Api globexOrders = Seed.api(fresh, globex, "/orders");
            Api acmeUsers = Seed.api(fresh, acme, "/users");
            Api acmeOrders = Seed.api(fresh, acme, "/orders");
            Api acmeDevOnly = Seed.api(fresh, acme, "/beta");
            for (Api api : List.of(globexOrders, acmeUsers, acmeOrders)) {
                fresh.write(r -> r.deployments().deploy(r.deployments().createRevision(api), Environment.PRODUCTION));
            }
            fresh.write(r -> r.deployments().deploy(r.deployments().createRevision(acmeDevOnly),
                    Environment.DEVELOPMENT));
            fresh.write(r -> {
                r.apis().setLifecycle(acmeUsers.id(), Lifecycle.BLOCKED);
                return null;
            });

            List<DeployedRevision> production = fresh.read(r -> r.deployments().deployedTo(Environment.PRODUCTION));

            assertThat(production).extracting(DeployedRevision::orgHandle, DeployedRevision::lifecycle,
                            deployed -> deployed.revision().apiId())
                    .containsExactly(
                            tuple("acme", Lifecycle.CREATED, acmeOrders.id()),
                            tuple("acme", Lifecycle.BLOCKED, acmeUsers.id()),
                            tuple("globex", Lifecycle.CREATED, globexOrders.id()));
            assertThat(production.get(1).revision().definition()).isEqualTo(acmeUsers);
        }
    }
}
