package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.testing.TestStores;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The harness other modules build on: every store it hands out is a database of its own. */
class TestStoresTest {

    @Test
    void eachH2Store_isANewEmptyDatabase() {
        assertEachStoreIsNewAndEmpty(TestStores::h2);
    }

    @Test
    void eachPostgresStore_isANewEmptyDatabase() {
        assertEachStoreIsNewAndEmpty(TestStores::postgres);
    }

    private static void assertEachStoreIsNewAndEmpty(Supplier<Store> stores) {
        try (Store first = stores.get(); Store second = stores.get()) {
            first.write(r -> r.organizations().create("acme", "Acme"));

            boolean firstEmpty = first.read(r -> r.organizations().isEmpty());
            boolean secondEmpty = second.read(r -> r.organizations().isEmpty());
            assertThat(firstEmpty).isFalse();
            assertThat(secondEmpty).isTrue();
            assertThat(second.configRevision()).isZero();
        }
    }
}
