package dev.gatehouse.gateway.decision;

import dev.gatehouse.gateway.ratelimit.Quota;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.security.TokenCheck;
import dev.gatehouse.model.snapshot.ClientBinding;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** What the gateway decided about one call. */
public sealed interface Decision {

    /**
     * The call passed every check: forward it to the route's backend on behalf of {@code client}.
     *
     * @param token the verified bearer token the call carries; null for a call with an API key
     */
    record Allow(RouteMatch.Found route, ClientBinding client, TokenCheck.Valid token) implements Decision {

        public Allow {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(client, "client");
        }
    }

    /**
     * The call is refused.
     *
     * @param detail         what exactly failed, for the caller; never contains a token
     * @param allowedMethods for {@link Refusal#METHOD_NOT_ALLOWED}: the methods the path supports, else empty
     * @param requiredScopes for {@link Refusal#INSUFFICIENT_SCOPE}: the scopes of which the token needs one, else
     *                       empty
     * @param quota          for {@link Refusal#RATE_LIMITED}: the spent allowance, else null
     */
    record Deny(Refusal refusal, Check check, String detail, SortedSet<String> allowedMethods,
                SortedSet<String> requiredScopes, Quota quota) implements Decision {

        public Deny {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(detail, "detail");
            allowedMethods = sorted(allowedMethods);
            requiredScopes = sorted(requiredScopes);
        }

        public Deny(Refusal refusal, Check check, String detail) {
            this(refusal, check, detail, new TreeSet<>(), new TreeSet<>(), null);
        }

        public Deny(Refusal refusal, Check check, String detail, SortedSet<String> allowedMethods,
                    SortedSet<String> requiredScopes) {
            this(refusal, check, detail, allowedMethods, requiredScopes, null);
        }

        public static Deny rateLimited(Quota quota, String detail) {
            return new Deny(Refusal.RATE_LIMITED, Check.RATE_LIMIT, detail, new TreeSet<>(), new TreeSet<>(), quota);
        }

        public static Deny methodNotAllowed(String method, Set<String> allowedMethods) {
            return new Deny(Refusal.METHOD_NOT_ALLOWED, Check.ROUTE,
                    "the resource supports " + String.join(", ", sorted(allowedMethods)) + ", not " + method,
                    sorted(allowedMethods), new TreeSet<>());
        }

        public static Deny insufficientScope(Set<String> requiredScopes) {
            return new Deny(Refusal.INSUFFICIENT_SCOPE, Check.SCOPE,
                    "the token carries none of the scopes this resource requires", new TreeSet<>(),
                    sorted(requiredScopes));
        }

        private static SortedSet<String> sorted(Set<String> values) {
            return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(values));
        }
    }
}
