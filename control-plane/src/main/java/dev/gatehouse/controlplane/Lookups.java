package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Caller;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Repositories;

/** Finding what a request names, within what the caller may see; anything else is "not found". */
final class Lookups {

    private Lookups() {
    }

    /** The organization, if the caller belongs to it or operates the server; 404 otherwise, so as not to reveal it. */
    static Organization organization(Repositories tx, Caller caller, String handle) {
        return tx.organizations().findByHandle(handle)
                .filter(caller::canSee)
                .orElseThrow(() -> Problem.notFound("no organization '" + handle + "'"));
    }

    /** An API of the organization; subscribers see only the ones in the developer portal. */
    static Api api(Repositories tx, Caller caller, Organization org, String apiId) {
        return tx.apis().find(org.id(), apiId)
                .filter(api -> canManageApis(caller, org) || api.lifecycle().subscribable()
                        || api.lifecycle() == dev.gatehouse.model.Lifecycle.DEPRECATED)
                .orElseThrow(() -> Problem.notFound("no API '" + apiId + "' in organization '" + org.handle() + "'"));
    }

    /** The API the request's path names, for a change by a publisher of its organization; 403 for anyone else. */
    static Api apiToChange(Repositories tx, Request request) {
        Organization org = organization(tx, request.caller(), request.path("org"));
        request.caller().require(org, Role.PUBLISHER);
        return api(tx, request.caller(), org, request.path("apiId"));
    }

    static boolean canManageApis(Caller caller, Organization org) {
        return caller.hasRole(org, Role.PUBLISHER);
    }

    /** An application the caller owns (admins see every application of their organization). */
    static Application application(Repositories tx, Caller caller, Organization org, String appId) {
        return tx.applications().find(org.id(), appId)
                .filter(app -> app.ownerId().equals(caller.user().id()) || caller.hasRole(org, Role.ADMIN))
                .orElseThrow(() -> Problem.notFound("no application '" + appId + "'"));
    }
}
