package dev.gatehouse.controlplane.http;

/** What an operation answers: a status and a JSON body (a JsonObject, a JsonArray, or null for none). */
public record Reply(int status, Object body) {

    public static Reply ok(Object body) {
        return new Reply(200, body);
    }

    public static Reply created(Object body) {
        return new Reply(201, body);
    }

    public static Reply noContent() {
        return new Reply(204, null);
    }
}
