package dev.gatehouse.ui;

import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * One request to a page or action of a signed-in visitor: the route's parameters, the form, and the management API
 * on the visitor's behalf.
 */
record Visit(RoutingContext ctx, Visitor visitor, ManagementClient.Calls api) {

    String path(String name) {
        return ctx.pathParam(name);
    }

    /** A query parameter, or null. */
    String query(String name) {
        return ctx.request().getParam(name);
    }

    /** A form field, trimmed, or null when absent or blank. */
    String form(String name) {
        String value = ctx.request().getFormAttribute(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Every value of a repeated form field (checkboxes, multiple selects). */
    List<String> formAll(String name) {
        return ctx.request().formAttributes().getAll(name);
    }

    /** The organization's path in the management API. */
    String orgApi() {
        return "/orgs/" + ManagementClient.encode(visitor.org());
    }
}
