package dev.gatehouse.identity;

import dev.gatehouse.model.identity.OAuthClient;

/**
 * A client just registered, with its secret in plain text: shown once to whoever registered it, never stored.
 *
 * @param clientSecret null for a public client
 */
public record RegisteredClient(OAuthClient client, String clientSecret) {

    @Override
    public String toString() {
        return "RegisteredClient[clientId=" + client.clientId() + ", confidential=" + client.confidential() + "]";
    }
}
