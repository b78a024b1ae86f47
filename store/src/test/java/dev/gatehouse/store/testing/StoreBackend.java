package dev.gatehouse.store.testing;

import dev.gatehouse.store.Store;
import java.time.Clock;

/** The databases the store runs on; {@link StoreTest} runs a test class once on each. */
public enum StoreBackend {
    H2("H2"),
    POSTGRESQL("PostgreSQL");

    private final String displayName;

    StoreBackend(String displayName) {
        this.displayName = displayName;
    }

    /** A store on a new, empty database of this kind; the caller closes it. */
    public Store open(Clock clock) {
        return switch (this) {
            case H2 -> TestStores.h2(clock);
            case POSTGRESQL -> TestStores.postgres(clock);
        };
    }

    @Override
    public String toString() {
        return displayName;
    }
}
