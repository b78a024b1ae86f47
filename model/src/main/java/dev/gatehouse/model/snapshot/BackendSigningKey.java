package dev.gatehouse.model.snapshot;

import java.util.Objects;

/**
 * The key gateways sign backend JWTs with, and the issuer those JWTs name. Backends verify them with the public
 * key set the control plane publishes; the private key travels only in snapshots, to gateways holding the gateway
 * token, and is never shown by {@link #toString()}.
 *
 * @param issuer     the {@code iss} of every backend JWT
 * @param privateJwk the EC P-256 private key as a JWK (JSON), with its {@code kid}
 */
public record BackendSigningKey(String issuer, String privateJwk) {

    public BackendSigningKey {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(privateJwk, "privateJwk");
    }

    @Override
    public String toString() {
        return "BackendSigningKey[issuer=" + issuer + "]";
    }
}
