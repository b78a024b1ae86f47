package dev.gatehouse.gateway.decision;

import java.util.Locale;

/** The step of the gateway's decision order that refused a call; rendered as the problem's {@code check}. */
public enum Check {
    ROUTE,
    CREDENTIAL,
    ISSUER,
    SIGNATURE,
    CLAIMS,
    /** The token's issuer revoked it before it expired. */
    REVOKED,
    /** The token is DPoP-bound (RFC 9449) and the call does not prove it holds the key. */
    DPOP,
    APPLICATION,
    KEY_TYPE,
    SUBSCRIPTION,
    SCOPE,
    RATE_LIMIT,
    BACKEND,
    /** Not a check: the gateway itself failed. */
    GATEWAY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
