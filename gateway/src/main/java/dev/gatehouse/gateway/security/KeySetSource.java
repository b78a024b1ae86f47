package dev.gatehouse.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;

/** Where the {@link TokenVerifier} gets an issuer's public keys; {@link JwksCache} fetches them over HTTP. */
public interface KeySetSource {

    /** The keys published at {@code jwksUri}, from the cache when there are any; fails when none can be had. */
    Future<JWKSet> keys(String jwksUri);

    /**
     * The keys after a refetch, asked for when a token names a key the cached set lacks. An implementation may
     * answer with the cached keys instead (for example when it refetched too recently), and never fails while it
     * has cached keys.
     */
    Future<JWKSet> refreshed(String jwksUri);
}
