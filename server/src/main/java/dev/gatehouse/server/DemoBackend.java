package dev.gatehouse.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A small orders service for the demo, served beside the control plane: the backend the demo's APIs point
 * at. It lists and shows orders, accepts new ones, and answers any other path with what it received, so that
 * any API a user creates in the quickstart has something to call.
 */
final class DemoBackend {

    static final String PATH = "/demo/backend";

    private DemoBackend() {
    }

    static void mount(Router router) {
        router.route(PATH + "/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.get(PATH + "/orders").handler(ctx -> ctx.json(new JsonObject().put("orders", new JsonArray()
                .add(order("1001", "Coffee beans", 2))
                .add(order("1002", "Espresso cups", 6)))));
        router.get(PATH + "/orders/:id").handler(ctx -> ctx.json(order(ctx.pathParam("id"), "Coffee beans", 2)));
        router.post(PATH + "/orders").handler(ctx -> ctx.response().setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("created", true).put("order", bodyOf(ctx)).encode()));
        router.route(PATH + "/*").handler(DemoBackend::echo);
    }

    private static JsonObject order(String id, String item, int quantity) {
        return new JsonObject().put("id", id).put("item", item).put("quantity", quantity).put("status", "shipped");
    }

    private static Object bodyOf(RoutingContext ctx) {
        String body = ctx.body().asString();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(body);
        } catch (RuntimeException notJson) {
            return body;
        }
    }

    private static void echo(RoutingContext ctx) {
        ctx.json(new JsonObject()
                .put("method", ctx.request().method().name())
                .put("path", ctx.request().path().substring(PATH.length()))
                .put("query", ctx.request().query())
                .put("body", bodyOf(ctx)));
    }
}
