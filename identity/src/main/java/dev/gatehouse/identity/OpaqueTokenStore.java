package dev.gatehouse.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.model.identity.OpaqueAccessTokens;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.store.OpaqueAccessTokenRepository.StoredToken;
import dev.gatehouse.store.Store;
import java.text.ParseException;
import java.time.Clock;
import java.util.Optional;

/**
 * Opaque access tokens, for applications registered for them: a random reference (32 bytes, base64url, after the
 * prefix {@code gh_at_} of {@link OpaqueAccessTokens}, so that gateways and secret
 * scanners can recognize one) standing for the claims a JWT access token would
 * have carried, which stay in the store under the token's SHA-256 hash until it expires. Whoever holds such a token
 * learns nothing from it; resource servers resolve it by introspection (RFC 7662), and Gatehouse's gateways through
 * the control plane. Revocation works as for JWTs, by {@code jti}.
 *
 * <p>Storing one is a {@link Store#record} write: issuing tokens is not configuration, and sends gateways nothing.
 */
final class OpaqueTokenStore {


    private final Store store;
    private final ClientSecrets secrets;
    private final Clock clock;

    OpaqueTokenStore(Store store, ClientSecrets secrets, Clock clock) {
        this.store = store;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Blocking: a new token standing for {@code claims}, which must carry {@code exp}. */
    String issue(OAuthClient client, JWTClaimsSet claims) {
        String token = OpaqueAccessTokens.PREFIX + secrets.newSecret();
        StoredToken stored = new StoredToken(client.orgId(), client.clientId(), claims.toString(),
                claims.getExpirationTime().toInstant());
        store.record(tx -> {
            tx.opaqueAccessTokens().deleteExpired(clock.instant());
            tx.opaqueAccessTokens().save(ClientSecrets.hash(token), stored);
            return null;
        });
        return token;
    }

    /** Blocking: the claims of an opaque token this server issued and that has not expired; empty otherwise. */
    Optional<JWTClaimsSet> claims(String token) {
        if (!OpaqueAccessTokens.looksOpaque(token)) {
            return Optional.empty();
        }
        return store.read(tx -> tx.opaqueAccessTokens().find(ClientSecrets.hash(token)))
                .filter(stored -> clock.instant().isBefore(stored.expiresAt()))
                .flatMap(stored -> {
                    try {
                        return Optional.of(JWTClaimsSet.parse(stored.claims()));
                    } catch (ParseException e) {
                        return Optional.empty();
                    }
                });
    }
}
