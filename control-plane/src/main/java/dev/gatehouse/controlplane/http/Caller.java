package dev.gatehouse.controlplane.http;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.User;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Who is calling the management API: a user of an organization's built-in identity provider, with the roles
 * the store holds now (not the ones the token was issued with), and whether they administer the whole server.
 *
 * @param operator true for admins of the operator organization, who may act in every organization
 */
public record Caller(User user, Organization organization, boolean operator) {

    /** Whether the caller may see the organization at all. */
    public boolean canSee(Organization target) {
        return operator || organization.id().equals(target.id());
    }

    /** Whether the caller holds one of the roles in the organization (operators hold them all). */
    public boolean hasRole(Organization target, String... roles) {
        if (operator) {
            return true;
        }
        return canSee(target) && (user.hasRole(Role.ADMIN) || Arrays.stream(roles).anyMatch(user::hasRole));
    }

    /** Refuses with 403 unless the caller holds one of the roles (admins hold every role of their organization). */
    public void require(Organization target, String... roles) {
        if (!hasRole(target, roles)) {
            throw Problem.forbidden("this operation needs the role "
                    + Arrays.stream(roles).collect(Collectors.joining(" or ")) + " in organization '"
                    + target.handle() + "'");
        }
    }
}
