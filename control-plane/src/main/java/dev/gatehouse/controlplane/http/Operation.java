package dev.gatehouse.controlplane.http;

/**
 * One operation of the management API, named by its {@code operationId} in the OpenAPI contract. It runs on a
 * worker thread (it may block on the store) and answers with a {@link Reply} or throws a {@link Problem}.
 */
@FunctionalInterface
public interface Operation {

    Reply run(Request request);
}
