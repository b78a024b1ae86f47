package dev.gatehouse.gateway.security;

/** A key set could not be fetched; expected when an identity provider is away, so it carries no stack trace. */
final class JwksFetchException extends Exception {

    JwksFetchException(String message) {
        super(message, null, false, false);
    }
}
