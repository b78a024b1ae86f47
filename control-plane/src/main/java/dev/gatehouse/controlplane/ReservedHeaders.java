package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Problem;
import java.util.Locale;
import java.util.Set;

/** Request headers HTTP or the gateway gives meaning to, which an API cannot take for a credential or a JWT. */
final class ReservedHeaders {

    private static final Set<String> RESERVED = Set.of("authorization", "host", "content-length", "content-type",
            "transfer-encoding", "connection", "keep-alive", "te", "trailer", "upgrade", "proxy-authorization",
            "proxy-connection", "expect", "cookie", "forwarded", "x-forwarded-for", "x-forwarded-proto",
            "x-forwarded-host", "x-request-id", "traceparent", "tracestate", "origin");

    private ReservedHeaders() {
    }

    /** Refuses a reserved header with 400 naming the field {@code header}. */
    static void refuse(String header) {
        if (header != null && RESERVED.contains(header.toLowerCase(Locale.ROOT))) {
            throw Problem.invalid("header", "header must not be " + header
                    + ": HTTP or the gateway gives that header its own meaning");
        }
    }
}
