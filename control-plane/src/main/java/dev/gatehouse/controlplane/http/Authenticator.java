package dev.gatehouse.controlplane.http;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Store;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a management-API request's bearer token into a {@link Caller}. The token must be one the built-in
 * identity provider issued to an organization's {@code gatehouse-cli} client (the command line) or its
 * {@code gatehouse-web} client (the console and developer portal) for one of its users; the
 * user's roles are read from the store on every call, so a role taken away takes effect at once, and so is whether
 * the token was revoked. A token bound to a key (DPoP, RFC 9449) is refused: presented here as a bearer token it
 * would prove nothing about its holder.
 */
public final class Authenticator {

    /** The built-in clients users obtain management tokens with. */
    private static final Set<String> MANAGEMENT_CLIENTS =
            Set.of(BuiltInIdentityProvider.CLI_CLIENT_ID, BuiltInIdentityProvider.WEB_CLIENT_ID);

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final String operatorOrganization;

    public Authenticator(Store store, BuiltInIdentityProvider identity, String operatorOrganization) {
        this.store = store;
        this.identity = identity;
        this.operatorOrganization = operatorOrganization;
    }

    /** Blocking: verifies the token and reads the user. */
    public Caller authenticate(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw Problem.unauthenticated("a bearer token from the built-in identity provider is required");
        }
        String[] parts = authorizationHeader.trim().split(" +", 2);
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer")) {
            throw Problem.unauthenticated("the Authorization header must use the Bearer scheme");
        }
        VerifiedToken token = identity.verify(parts[1])
                .orElseThrow(() -> Problem.unauthenticated("the bearer token is invalid or expired"));
        if (!MANAGEMENT_CLIENTS.contains(token.clientId())) {
            throw Problem.unauthenticated("the bearer token was not issued to the "
                    + BuiltInIdentityProvider.CLI_CLIENT_ID + " or " + BuiltInIdentityProvider.WEB_CLIENT_ID + " client");
        }
        if (token.claims().getClaim("cnf") != null) {
            throw Problem.unauthenticated("the management API takes bearer tokens only: this token is bound to a key "
                    + "(DPoP); ask for one without a DPoP proof");
        }
        return store.read(tx -> {
            if (tx.revokedAccessTokens().isRevoked(token.claims().getJWTID())) {
                throw Problem.unauthenticated("the bearer token has been revoked");
            }
            Organization org = tx.organizations().findByHandle(token.orgHandle())
                    .orElseThrow(() -> Problem.unauthenticated("the token's organization no longer exists"));
            Optional<User> user = tx.users().findById(token.subject()).filter(u -> u.orgId().equals(org.id()));
            User found = user.orElseThrow(() -> Problem.unauthenticated("the token's user no longer exists"));
            boolean operator = org.handle().equals(operatorOrganization) && found.hasRole(Role.ADMIN);
            return new Caller(found, org, operator);
        });
    }
}
