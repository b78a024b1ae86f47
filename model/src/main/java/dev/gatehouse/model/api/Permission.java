package dev.gatehouse.model.api;

/** A permission of an API: a short value such as {@code read}, which becomes a fully qualified scope. */
public record Permission(String value, String description) {
}
