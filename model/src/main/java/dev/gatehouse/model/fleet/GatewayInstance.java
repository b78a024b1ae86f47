package dev.gatehouse.model.fleet;

import dev.gatehouse.model.Environment;
import java.time.Instant;
import java.util.Objects;

/**
 * A gateway process as the control plane last heard of it: each gateway reports itself whenever it asks for
 * configuration, so {@code lastSeen} tells whether it is alive and {@code snapshotVersion} whether it is current.
 *
 * @param id              chosen by the gateway at start, stable for the life of the process
 * @param address         where the gateway says it serves, for operators; not used to reach it
 * @param snapshotVersion the configuration version the gateway serves; 0 before it has any
 */
public record GatewayInstance(
        String id,
        Environment environment,
        String address,
        long snapshotVersion,
        Instant firstSeen,
        Instant lastSeen) {

    public GatewayInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }
}
