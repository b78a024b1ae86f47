package dev.gatehouse.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Who is signed in to the console and portal in a browser session: the organization, the user's management-API
 * tokens from the built-in identity provider, and the roles the management API reported at sign-in (used only to
 * show or hide navigation: the management API decides every action with the roles it reads then).
 *
 * @param refreshToken may be null
 */
record Visitor(String org, String username, List<String> roles, String accessToken, Instant expiresAt,
               String refreshToken, String idToken) {

    Visitor {
        roles = List.copyOf(roles);
    }

    boolean publisher() {
        return roles.contains("publisher") || admin();
    }

    boolean admin() {
        return roles.contains("admin");
    }

    Visitor withTokens(String accessToken, Instant expiresAt, String refreshToken) {
        return new Visitor(org, username, roles, accessToken, expiresAt, refreshToken, idToken);
    }

    JsonObject toJson() {
        return new JsonObject()
                .put("org", org)
                .put("username", username)
                .put("roles", new JsonArray(List.copyOf(roles)))
                .put("accessToken", accessToken)
                .put("expiresAt", expiresAt.toString())
                .put("refreshToken", refreshToken)
                .put("idToken", idToken);
    }

    static Visitor fromJson(JsonObject json) {
        return new Visitor(json.getString("org"), json.getString("username"),
                json.getJsonArray("roles").stream().map(String::valueOf).toList(), json.getString("accessToken"),
                Instant.parse(json.getString("expiresAt")), json.getString("refreshToken"), json.getString("idToken"));
    }
}
