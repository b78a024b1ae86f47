package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.IdpConfig;
import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.identity.PasswordHasher;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import dev.gatehouse.store.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Control-plane replicas started together on one empty PostgreSQL database, as a Kubernetes Deployment does:
 * exactly one of them creates the operator organization and its admin, and none fails to start.
 */
class BootstrapTest {

    private static final int REPLICAS = 3;

    @RepeatedTest(3)
    void replicasBootstrappingOneEmptyDatabaseAtOnce_createTheFirstAdminExactlyOnce() throws Exception {
        StoreConfig database = TestStores.postgresConfig();
        List<Store> stores = new ArrayList<>();
        ExecutorService replicas = Executors.newFixedThreadPool(REPLICAS);
        try {
            for (int i = 0; i < REPLICAS; i++) {
                stores.add(Store.open(database, Clock.systemUTC()));
            }
            CyclicBarrier together = new CyclicBarrier(REPLICAS);
            MasterKey masterKey = MasterKey.ephemeral();
            List<Future<Bootstrap.Outcome>> outcomes = new ArrayList<>();
            for (Store store : stores) {
                Bootstrap bootstrap = new Bootstrap(store, new BuiltInIdentityProvider(store,
                        new IdpConfig("http://127.0.0.1", Duration.ofHours(1)), new PasswordHasher(), masterKey,
                        Clock.systemUTC()),
                        "gatehouse");
                outcomes.add(replicas.submit(() -> {
                    together.await();
                    return bootstrap.run("a-configured-admin-password");
                }));
            }
            long created = 0;
            for (Future<Bootstrap.Outcome> outcome : outcomes) {
                created += outcome.get().created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
            List<?> organizations = stores.get(0).read(tx -> tx.organizations().list());
            assertThat(organizations).hasSize(1);
        } finally {
            replicas.shutdownNow();
            stores.forEach(Store::close);
        }
    }
}
