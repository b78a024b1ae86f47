package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/** Organizations, and who the caller is. Only the operator organization's admins create organizations. */
final class OrganizationOperations {

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final Views views;

    OrganizationOperations(Store store, BuiltInIdentityProvider identity, Views views) {
        this.store = store;
        this.identity = identity;
        this.views = views;
    }

    Map<String, Operation> operations() {
        return Map.of(
                "getMe", this::me,
                "changeMyPassword", this::changePassword,
                "listOrganizations", this::list,
                "createOrganization", this::create,
                "getOrganization", this::get);
    }

    /** A user of the built-in identity provider changes their own password, proving the current one. */
    private Reply changePassword(Request request) {
        BuiltInIdentityProvider.PasswordChange outcome;
        try {
            outcome = identity.changePassword(request.caller().user(), request.body().getString("currentPassword"),
                    request.body().getString("newPassword"), request.clientIp());
        } catch (IllegalArgumentException e) {
            throw Problem.invalidArgument(e.getMessage());
        }
        return switch (outcome) {
            case CHANGED -> Reply.noContent();
            case WRONG_PASSWORD -> throw Problem.invalid("currentPassword", "the current password is not right");
            case THROTTLED -> throw Problem.tooManyRequests("too many wrong passwords; try again later");
        };
    }

    private Reply me(Request request) {
        return Reply.ok(new JsonObject()
                .put("id", request.caller().user().id())
                .put("username", request.caller().user().username())
                .put("organization", request.caller().organization().handle())
                .put("roles", Views.strings(request.caller().user().effectiveRoles()))
                .put("operator", request.caller().operator()));
    }

    private Reply list(Request request) {
        return store.read(tx -> Reply.ok(Views.array(
                tx.organizations().list().stream().filter(request.caller()::canSee).toList(), views::organization)));
    }

    private Reply get(Request request) {
        return store.read(tx -> Reply.ok(views.organization(
                Lookups.organization(tx, request.caller(), request.path("org")))));
    }

    private Reply create(Request request) {
        if (!request.caller().operator()) {
            throw Problem.forbidden("only admins of the operator organization create organizations");
        }
        JsonObject body = request.body();
        String handle = body.getString("handle");
        JsonObject admin = body.getJsonObject("admin");
        try {
            return store.write(tx -> {
                Organization org = tx.organizations().create(handle, body.getString("name"));
                identity.provisionOrganization(tx, org);
                identity.createUser(tx, org.id(), admin.getString("username"), admin.getString("password"),
                        Set.of(Role.ADMIN));
                return Reply.created(views.organization(org));
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("organizations_handle_key")) {
                throw Problem.conflict("handle", "an organization with handle '" + handle + "' already exists");
            }
            throw conflict;
        }
    }
}
