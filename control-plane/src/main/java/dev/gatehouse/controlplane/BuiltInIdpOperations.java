package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.ClientRegistration;
import dev.gatehouse.identity.RegisteredClient;
import dev.gatehouse.identity.SigningKeyPolicyState;
import dev.gatehouse.identity.SigningKeyState;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.ApiResource;
import dev.gatehouse.model.identity.AuditEvent;
import dev.gatehouse.model.identity.Group;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Administration of an organization's built-in identity provider, as Asgardeo's console does it: users and
 * their roles, groups with their members and roles (a member holds the group's roles besides their own), roles and
 * the scopes they allow, API resources and their scopes, and OAuth applications authorized for scopes, its signing
 * keys and their rotation, and the provider's audit events. Admins only; every
 * change is itself audited.
 */
final class BuiltInIdpOperations {

    /** How many of the newest audit events the list returns. */
    static final int AUDIT_PAGE = 200;
    /** The access-token type of applications whose tokens are references resolved by introspection. */
    private static final String OPAQUE = "Opaque";

    private final Store store;
    private final BuiltInIdentityProvider identity;

    BuiltInIdpOperations(Store store, BuiltInIdentityProvider identity) {
        this.store = store;
        this.identity = identity;
    }

    Map<String, Operation> operations() {
        return Map.ofEntries(
                Map.entry("listUsers", this::listUsers),
                Map.entry("createUser", audited("createUser", this::createUser)),
                Map.entry("deleteUser", audited("deleteUser", this::deleteUser)),
                Map.entry("setUserRoles", audited("setUserRoles", this::setUserRoles)),
                Map.entry("listRoles", this::listRoles),
                Map.entry("createRole", audited("createRole", this::createRole)),
                Map.entry("setRoleScopes", audited("setRoleScopes", this::setRoleScopes)),
                Map.entry("listGroups", this::listGroups),
                Map.entry("createGroup", audited("createGroup", this::createGroup)),
                Map.entry("deleteGroup", audited("deleteGroup", this::deleteGroup)),
                Map.entry("setGroupMembers", audited("setGroupMembers", this::setGroupMembers)),
                Map.entry("setGroupRoles", audited("setGroupRoles", this::setGroupRoles)),
                Map.entry("listApiResources", this::listApiResources),
                Map.entry("createApiResource", audited("createApiResource", this::createApiResource)),
                Map.entry("listIdpApplications", this::listClients),
                Map.entry("createIdpApplication", audited("createIdpApplication", this::createClient)),
                Map.entry("deleteIdpApplication", audited("deleteIdpApplication", this::deleteClient)),
                Map.entry("listIdpAuditEvents", this::listAuditEvents),
                Map.entry("listSigningKeys", this::listSigningKeys),
                Map.entry("rotateSigningKey", audited("rotateSigningKey", this::rotateSigningKey)),
                Map.entry("getSigningKeyPolicy", this::getSigningKeyPolicy),
                Map.entry("setSigningKeyPolicy", audited("setSigningKeyPolicy", this::setSigningKeyPolicy)));
    }

    /**
     * Records a successful admin change as the audit event {@code admin.<operationId>}, naming the admin and what
     * the change was about (the path's username, client ID or the body's name), never a password or secret.
     */
    private Operation audited(String operationId, Operation operation) {
        return request -> {
            Reply reply = operation.run(request);
            String subject = request.pathParameters().getOrDefault("username",
                    request.pathParameters().getOrDefault("clientId", request.pathParameters().getOrDefault("role",
                            request.pathParameters().get("group"))));
            if (subject == null && request.body() != null) {
                subject = request.body().getString("username", request.body().getString("name",
                        request.body().getString("identifier")));
            }
            String detail = subject;
            store.record(tx -> tx.organizations().findByHandle(request.path("org")).map(org ->
                    tx.auditEvents().add(org.id(), "admin." + operationId, request.caller().user().username(), null,
                            null, detail)));
            return reply;
        };
    }

    private Reply listAuditEvents(Request request) {
        return store.read(tx -> Reply.ok(Views.array(tx.auditEvents().list(adminOrg(tx, request).id(),
                AUDIT_PAGE), this::auditEvent)));
    }

    private JsonObject auditEvent(AuditEvent event) {
        return new JsonObject()
                .put("type", event.type())
                .put("occurredAt", event.occurredAt().toString())
                .put("actor", event.actor())
                .put("clientId", event.clientId())
                .put("clientIp", event.clientIp())
                .put("detail", event.detail());
    }

    private Reply listUsers(Request request) {
        return store.read(tx -> Reply.ok(Views.array(tx.users().list(adminOrg(tx, request).id()), this::user)));
    }

    private Reply createUser(Request request) {
        JsonObject body = request.body();
        String username = body.getString("username");
        Set<String> roles = ApiOperations.strings(body.getJsonArray("roles"));
        try {
            return store.write(tx -> {
                Organization org = adminOrg(tx, request);
                requireRolesExist(tx, org, roles);
                return Reply.created(user(identity.createUser(tx, org.id(), username, body.getString("password"), roles)));
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("users_username_key")) {
                throw Problem.conflict("username", "a user named '" + username + "' already exists");
            }
            throw conflict;
        }
    }

    private Reply deleteUser(Request request) {
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            User user = user(tx, org, request.path("username"));
            if (user.id().equals(request.caller().user().id())) {
                throw Problem.conflict("you cannot delete yourself");
            }
            tx.users().delete(user.id());
            return Reply.noContent();
        });
    }

    private Reply setUserRoles(Request request) {
        Set<String> roles = ApiOperations.strings(request.body().getJsonArray("roles"));
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            User user = user(tx, org, request.path("username"));
            requireRolesExist(tx, org, roles);
            tx.users().setRoles(user, roles);
            return Reply.ok(user(tx.users().findById(user.id()).orElseThrow()));
        });
    }

    private Reply listSigningKeys(Request request) {
        return store.read(tx -> Reply.ok(Views.array(identity.signingKeys(tx, adminOrg(tx, request).id()),
                BuiltInIdpOperations::signingKey)));
    }

    private Reply rotateSigningKey(Request request) {
        String algorithm = request.body().getString("algorithm", "RS256");
        boolean immediately = request.body().getBoolean("immediately", false);
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            try {
                return Reply.created(signingKey(identity.rotateSigningKey(tx, org.id(), algorithm, immediately)));
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("algorithm", e.getMessage());
            }
        });
    }

    private Reply getSigningKeyPolicy(Request request) {
        return store.read(tx -> Reply.ok(signingKeyPolicy(identity.signingKeyPolicy(tx, adminOrg(tx, request).id()))));
    }

    private Reply setSigningKeyPolicy(Request request) {
        int days = request.body().getInteger("rotateAfterDays");
        String algorithm = request.body().getString("algorithm", "RS256");
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            try {
                return Reply.ok(signingKeyPolicy(identity.setSigningKeyPolicy(tx, org.id(), days, algorithm)));
            } catch (IllegalArgumentException e) {
                throw Problem.invalidArgument(e.getMessage());
            }
        });
    }

    private static JsonObject signingKeyPolicy(SigningKeyPolicyState policy) {
        return new JsonObject()
                .put("rotateAfterDays", policy.rotateAfterDays())
                .put("algorithm", policy.algorithm())
                .put("nextRotationAt", policy.nextRotationAt() == null ? null : policy.nextRotationAt().toString());
    }

    private static JsonObject signingKey(SigningKeyState key) {
        return new JsonObject()
                .put("kid", key.kid())
                .put("algorithm", key.algorithm())
                .put("state", key.state())
                .put("createdAt", key.createdAt().toString())
                .put("signsFrom", key.signsFrom().toString())
                .put("publishedUntil", key.publishedUntil() == null ? null : key.publishedUntil().toString());
    }

    private Reply listRoles(Request request) {
        return store.read(tx -> Reply.ok(Views.array(tx.roles().list(adminOrg(tx, request).id()), this::role)));
    }

    private Reply createRole(Request request) {
        String name = request.body().getString("name");
        Set<String> scopes = ApiOperations.strings(request.body().getJsonArray("scopes"));
        try {
            return store.write(tx -> Reply.created(role(tx.roles().create(adminOrg(tx, request).id(), name, scopes))));
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("roles_name_key")) {
                throw Problem.conflict("name", "a role named '" + name + "' already exists");
            }
            throw conflict;
        }
    }

    private Reply setRoleScopes(Request request) {
        Set<String> scopes = ApiOperations.strings(request.body().getJsonArray("scopes"));
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            if (!tx.roles().updateScopes(org.id(), request.path("role"), scopes)) {
                throw Problem.notFound("no role '" + request.path("role") + "'");
            }
            return Reply.ok(role(tx.roles().find(org.id(), request.path("role")).orElseThrow()));
        });
    }

    private Reply listGroups(Request request) {
        return store.read(tx -> Reply.ok(Views.array(tx.groups().list(adminOrg(tx, request).id()),
                BuiltInIdpOperations::group)));
    }

    private Reply createGroup(Request request) {
        String name = request.body().getString("name");
        try {
            return store.write(tx -> Reply.created(group(tx.groups().create(adminOrg(tx, request).id(), name))));
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("idp_groups_name_key")) {
                throw Problem.conflict("name", "a group named '" + name + "' already exists");
            }
            throw conflict;
        }
    }

    private Reply deleteGroup(Request request) {
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            if (!tx.groups().delete(org.id(), request.path("group"))) {
                throw Problem.notFound("no group '" + request.path("group") + "'");
            }
            return Reply.noContent();
        });
    }

    /** Replaces a group's members; an unknown username refuses the whole change, naming {@code usernames}. */
    private Reply setGroupMembers(Request request) {
        Set<String> usernames = ApiOperations.strings(request.body().getJsonArray("usernames"));
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            Group group = group(tx, org, request.path("group"));
            try {
                tx.groups().setMembers(group, usernames);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("usernames", e.getMessage());
            }
            return Reply.ok(group(tx.groups().find(org.id(), group.name()).orElseThrow()));
        });
    }

    /** Replaces a group's roles; an unknown role refuses the whole change, naming {@code roles}. */
    private Reply setGroupRoles(Request request) {
        Set<String> roles = ApiOperations.strings(request.body().getJsonArray("roles"));
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            Group group = group(tx, org, request.path("group"));
            requireRolesExist(tx, org, roles);
            tx.groups().setRoles(group, roles);
            return Reply.ok(group(tx.groups().find(org.id(), group.name()).orElseThrow()));
        });
    }

    private static Group group(Repositories tx, Organization org, String name) {
        return tx.groups().find(org.id(), name).orElseThrow(() -> Problem.notFound("no group '" + name + "'"));
    }

    private static JsonObject group(Group group) {
        return new JsonObject()
                .put("name", group.name())
                .put("members", Views.strings(group.members()))
                .put("roles", Views.strings(group.roles()))
                .put("createdAt", group.createdAt().toString());
    }

    private Reply listApiResources(Request request) {
        return store.read(tx -> Reply.ok(Views.array(tx.apiResources().list(adminOrg(tx, request).id()),
                this::apiResource)));
    }

    private Reply createApiResource(Request request) {
        JsonObject body = request.body();
        String identifier = body.getString("identifier");
        try {
            return store.write(tx -> Reply.created(apiResource(tx.apiResources().create(adminOrg(tx, request).id(),
                    identifier, body.getString("name"), ApiOperations.strings(body.getJsonArray("scopes"))))));
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("idp_api_resources_identifier_key")) {
                throw Problem.conflict("identifier", "an API resource '" + identifier + "' already exists");
            }
            throw conflict;
        }
    }

    private Reply listClients(Request request) {
        return store.read(tx -> Reply.ok(Views.array(tx.oauthClients().list(adminOrg(tx, request).id()), this::client)));
    }

    private Reply createClient(Request request) {
        JsonObject body = request.body();
        Integer lifetime = body.getInteger("accessTokenLifetimeSeconds");
        ClientRegistration registration = new ClientRegistration(body.getString("name"),
                ApiOperations.strings(body.getJsonArray("grantTypes")),
                ApiOperations.strings(body.getJsonArray("authorizedScopes")),
                !body.getBoolean("public", false),
                lifetime == null ? null : Duration.ofSeconds(lifetime),
                body.getJsonArray("redirectUris", new JsonArray()).stream().map(String.class::cast).toList(),
                body.getBoolean("dpopBoundAccessTokens", false));
        return store.write(tx -> {
            String orgId = adminOrg(tx, request).id();
            RegisteredClient registered = identity.registerClient(tx, orgId, registration);
            OAuthClient client = registered.client();
            if (OPAQUE.equals(body.getString("accessTokenType"))) {
                tx.oauthClients().setOpaqueAccessTokens(orgId, client.clientId(), true);
                client = tx.oauthClients().findByClientId(orgId, client.clientId()).orElseThrow();
            }
            return Reply.created(client(client).put("clientSecret", registered.clientSecret()));
        });
    }

    private Reply deleteClient(Request request) {
        return store.write(tx -> {
            Organization org = adminOrg(tx, request);
            if (!tx.oauthClients().delete(org.id(), request.path("clientId"))) {
                throw Problem.notFound("no application with client ID '" + request.path("clientId") + "'");
            }
            return Reply.noContent();
        });
    }

    private static Organization adminOrg(Repositories tx, Request request) {
        Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
        request.caller().require(org, Role.ADMIN);
        return org;
    }

    private static User user(Repositories tx, Organization org, String username) {
        return tx.users().find(org.id(), username).orElseThrow(() -> Problem.notFound("no user '" + username + "'"));
    }

    private static void requireRolesExist(Repositories tx, Organization org, Set<String> roles) {
        for (String role : roles) {
            if (tx.roles().find(org.id(), role).isEmpty()) {
                throw Problem.invalid("roles", "no role '" + role + "'");
            }
        }
    }

    private JsonObject user(User user) {
        return new JsonObject()
                .put("id", user.id())
                .put("username", user.username())
                .put("roles", Views.strings(user.roles()))
                .put("groups", Views.strings(user.groups()))
                .put("effectiveRoles", Views.strings(user.effectiveRoles()))
                .put("createdAt", user.createdAt().toString());
    }

    private JsonObject role(Role role) {
        return new JsonObject().put("name", role.name()).put("scopes", Views.strings(role.scopes()));
    }

    private JsonObject apiResource(ApiResource resource) {
        return new JsonObject()
                .put("id", resource.id())
                .put("identifier", resource.identifier())
                .put("name", resource.name())
                .put("scopes", Views.strings(resource.scopes()));
    }

    private JsonObject client(OAuthClient client) {
        return new JsonObject()
                .put("name", client.name())
                .put("clientId", client.clientId())
                .put("public", !client.confidential())
                .put("grantTypes", Views.strings(client.grantTypes()))
                .put("authorizedScopes", Views.strings(client.authorizedScopes()))
                .put("redirectUris", new JsonArray(client.redirectUris()))
                .put("accessTokenType", client.opaqueAccessTokens() ? OPAQUE : "JWT")
                .put("accessTokenLifetimeSeconds", client.accessTokenLifetime().toSeconds())
                .put("dpopBoundAccessTokens", client.dpopBoundAccessTokens())
                .put("createdAt", client.createdAt().toString());
    }
}
