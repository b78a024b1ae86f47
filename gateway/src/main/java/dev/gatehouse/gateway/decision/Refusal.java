package dev.gatehouse.gateway.decision;

import java.util.Locale;

/**
 * Every way the gateway can refuse a call: the one error taxonomy. Each refusal fixes the HTTP status, the
 * problem title and, for the OAuth refusals, the RFC 6750 challenge. The problem type is
 * {@code urn:gatehouse:problem:} followed by {@link #code()}.
 */
public enum Refusal {
    NO_ROUTE(404, Challenge.NONE, "No API resource matches the request"),
    METHOD_NOT_ALLOWED(405, Challenge.NONE, "The resource does not support this method"),
    API_BLOCKED(503, Challenge.NONE, "The API is blocked"),
    /** RFC 6750 section 3.1: a request without credentials gets a challenge without an error code. */
    MISSING_TOKEN(401, Challenge.WITHOUT_ERROR, "A bearer token is required"),
    INVALID_TOKEN(401, Challenge.WITH_ERROR, "The bearer token is not valid"),
    /**
     * RFC 9449 section 7.1: a token sent with the DPoP scheme that is not valid or not DPoP-bound, or a DPoP-bound
     * token sent as a bearer token. Its code is {@code invalid_token}; the challenge is a DPoP one.
     */
    INVALID_DPOP_TOKEN(401, Challenge.DPOP, "The DPoP access token is not valid", "invalid_token"),
    /** RFC 9449 section 7.1: the DPoP proof of a call with a DPoP-bound token is missing or fails a check. */
    INVALID_DPOP_PROOF(401, Challenge.DPOP, "The DPoP proof is not valid"),
    /** An API key is no bearer token: the challenge names the Bearer scheme the API also takes, without an error. */
    INVALID_API_KEY(401, Challenge.WITHOUT_ERROR, "The API key is not valid"),
    /** An opaque token the control plane could not be asked about: an outage, not a fault of the token. */
    TOKEN_RESOLUTION_UNAVAILABLE(503, Challenge.NONE, "The token cannot be checked now"),
    UNKNOWN_APPLICATION(403, Challenge.NONE, "The calling application is not known"),
    WRONG_KEY_TYPE(403, Challenge.NONE, "The credentials are for another environment"),
    NOT_SUBSCRIBED(403, Challenge.NONE, "The application is not subscribed to the API"),
    INSUFFICIENT_SCOPE(403, Challenge.WITH_ERROR, "The token lacks a scope the resource requires"),
    RATE_LIMITED(429, Challenge.NONE, "The subscription's rate limit is spent"),
    BACKEND_UNAVAILABLE(502, Challenge.NONE, "The backend cannot be reached"),
    BACKEND_TIMEOUT(504, Challenge.NONE, "The backend did not answer in time"),
    INTERNAL_ERROR(500, Challenge.NONE, "The gateway failed to handle the request");

    /** Whether and how a refusal carries a {@code WWW-Authenticate: Bearer} challenge. */
    public enum Challenge {
        NONE,
        WITHOUT_ERROR,
        /** The challenge names {@link Refusal#code()} as the RFC 6750 {@code error}. */
        WITH_ERROR,
        /**
         * A {@code WWW-Authenticate: DPoP} challenge (RFC 9449 section 7.1) naming {@link Refusal#code()} as the
         * error and the proof algorithms accepted.
         */
        DPOP
    }

    private final int status;
    private final Challenge challenge;
    private final String title;
    private final String code;

    Refusal(int status, Challenge challenge, String title) {
        this(status, challenge, title, null);
    }

    Refusal(int status, Challenge challenge, String title, String code) {
        this.status = status;
        this.challenge = challenge;
        this.title = title;
        this.code = code != null ? code : name().toLowerCase(Locale.ROOT);
    }

    public int status() {
        return status;
    }

    public Challenge challenge() {
        return challenge;
    }

    public String title() {
        return title;
    }

    /** The problem code, also the RFC 6750 error code for the refusals that challenge with an error. */
    public String code() {
        return code;
    }

    public String problemType() {
        return "urn:gatehouse:problem:" + code;
    }
}
