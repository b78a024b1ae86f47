package dev.gatehouse.model.identity;

import java.util.Set;

/** An API registered in the built-in identity provider: its identifier (the audience) and the scopes it defines. */
public record ApiResource(String id, String orgId, String identifier, String name, Set<String> scopes) {

    public ApiResource {
        scopes = Set.copyOf(scopes);
    }
}
