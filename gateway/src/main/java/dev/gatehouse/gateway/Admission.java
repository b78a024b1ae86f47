package dev.gatehouse.gateway;

import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.decision.Decision;
import dev.gatehouse.gateway.decision.Decision.Allow;
import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.decision.Refusal;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.security.DpopProofCheck;
import dev.gatehouse.gateway.security.TokenCheck;
import dev.gatehouse.gateway.security.TokenVerifier;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.consumer.ApiKey;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import java.util.Set;

/**
 * Decides on one call, in the gateway's order: route, credential (an API key where the API takes them and the call
 * carries one, else an access token with the Bearer or DPoP scheme), then the token's issuer, signature and claims
 * (through the {@link TokenVerifier}) and whether its issuer revoked it, then its DPoP binding, then application, key
 * type, subscription and scope. The first check that fails decides; later checks do not run. Reads nothing but its
 * arguments and the compiled snapshot (and tells the call's {@link Exchange} its route, for metrics and logs), so it
 * runs without sockets in tests.
 *
 * <p>DPoP (RFC 9449): a token whose claims hold {@code cnf.jkt} must come as {@code Authorization: DPoP <token>}
 * with a proof of that key for this very call ({@link DpopProofCheck}); sent as a bearer token it is refused, and so
 * is the DPoP scheme with a token bound to no key. Tokens without {@code cnf} cost one claim lookup more than before
 * and nothing else. Proofs are checked on every call, also for tokens the verifier answered from its cache.
 */
final class Admission {

    private static final int MAX_DETAIL_VALUE_LENGTH = 120;
    private static final String BEARER = "Bearer";
    private static final String DPOP = "DPoP";

    private final Environment environment;
    private final TokenVerifier verifier;
    private final DpopProofCheck dpop;

    Admission(Environment environment, TokenVerifier verifier, DpopProofCheck dpop) {
        this.environment = environment;
        this.verifier = verifier;
        this.dpop = dpop;
    }

    /**
     * @param scheme    the scheme the caller reached the gateway with ({@code http} or {@code https}), for a DPoP
     *                  proof's {@code htu}
     * @param authority the host and port the caller named ({@code Host}, or HTTP/2's {@code :authority}), for a
     *                  DPoP proof's {@code htu}; null when it named none
     * @param rawPath  the request path as received, without query string
     * @param headers  the request's headers: its {@code Authorization} (and {@code DPoP} proof, and {@code Host}),
     *                 or its API key where the API takes them
     * @param exchange the call; learns its route as soon as there is one
     */
    Future<Decision> decide(CompiledSnapshot snapshot, String method, String scheme, HostAndPort authority,
                            String rawPath, MultiMap headers, Exchange exchange) {
        RouteMatch.Found route;
        switch (snapshot.routes().lookup(method, rawPath)) {
            case RouteMatch.NotFound() -> {
                return deny(Refusal.NO_ROUTE, Check.ROUTE, "no API resource matches " + method + " "
                        + shorten(rawPath));
            }
            case RouteMatch.MethodNotAllowed(var allowed) -> {
                return Future.succeededFuture(Deny.methodNotAllowed(method, allowed));
            }
            case RouteMatch.Found found -> route = found;
        }
        exchange.routed(route);
        RoutedApi api = route.api();
        if (api.lifecycle() == Lifecycle.BLOCKED) {
            return deny(Refusal.API_BLOCKED, Check.ROUTE, label(api) + " is blocked");
        }

        if (api.apiKeyHeader() != null) {
            List<String> apiKeys = headers.getAll(api.apiKeyHeader());
            if (!apiKeys.isEmpty()) {
                return Future.succeededFuture(byApiKey(snapshot, route, apiKeys));
            }
        }
        List<String> authorizations = headers.getAll(HttpHeaders.AUTHORIZATION);
        boolean dpopScheme = !authorizations.isEmpty() && hasScheme(authorizations.getFirst(), DPOP);
        if (authorizations.isEmpty() || !dpopScheme && !hasScheme(authorizations.getFirst(), BEARER)) {
            return deny(Refusal.MISSING_TOKEN, Check.CREDENTIAL, api.apiKeyHeader() == null
                    ? "the request carries no bearer token"
                    : "the request carries no bearer token and no API key (header " + api.apiKeyHeader() + ")");
        }
        Refusal invalidToken = dpopScheme ? Refusal.INVALID_DPOP_TOKEN : Refusal.INVALID_TOKEN;
        String token = authorizations.size() == 1
                ? credentials(authorizations.getFirst(), dpopScheme ? DPOP.length() : BEARER.length()) : null;
        if (token == null) {
            return deny(invalidToken, Check.CREDENTIAL, "the Authorization header does not carry a well-formed "
                    + (dpopScheme ? "DPoP" : "bearer") + " token");
        }

        return verifier.verify(token, api.orgHandle(), snapshot.issuersOf(api.orgHandle()))
                .compose(check -> switch (check) {
                    case TokenCheck.Invalid(Check step, String detail) ->
                            decided(new Deny(invalidToken, step, detail));
                    case TokenCheck.Unknowable(String detail) ->
                            decided(new Deny(Refusal.TOKEN_RESOLUTION_UNAVAILABLE, Check.CREDENTIAL, detail));
                    case TokenCheck.Valid valid when snapshot.revoked(valid.issuer().issuer(), valid.tokenId()) ->
                            decided(new Deny(invalidToken, Check.REVOKED, "the token has been revoked"));
                    case TokenCheck.Valid valid -> bindingRefusal(valid, dpopScheme, method, scheme, authority,
                            rawPath, headers, token).map(unproven -> unproven != null ? unproven
                            : authorize(snapshot, route, valid));
                });
    }

    /**
     * RFC 9449 section 7: completes with null when the token is unbound and sent as a bearer token, or bound to a key
     * and sent with the DPoP scheme and a proof of that key for this call; else with the refusal.
     */
    private Future<Deny> bindingRefusal(TokenCheck.Valid token, boolean dpopScheme, String method, String scheme,
                                        HostAndPort authority, String rawPath, MultiMap headers, String accessToken) {
        String jkt = DpopProofCheck.jkt(token.claims().getClaim("cnf"));
        if (jkt == null) {
            return Future.succeededFuture(dpopScheme ? new Deny(Refusal.INVALID_DPOP_TOKEN, Check.DPOP,
                    "the token is not DPoP-bound (it has no cnf.jkt); send it as a bearer token") : null);
        }
        if (!dpopScheme) {
            return decided(new Deny(Refusal.INVALID_DPOP_TOKEN, Check.DPOP,
                    "the token is DPoP-bound; send it with the DPoP scheme and a DPoP proof"));
        }
        if (authority == null) {
            return decided(new Deny(Refusal.INVALID_DPOP_PROOF, Check.DPOP,
                    "the request names no host, so the DPoP proof's htu cannot be checked"));
        }
        return dpop.check(method, htu(scheme, authority, rawPath), headers.getAll(DpopProofCheck.HEADER),
                accessToken, jkt).map(failed -> failed == null ? null
                : new Deny(Refusal.INVALID_DPOP_PROOF, Check.DPOP, failed));
    }

    private Decision authorize(CompiledSnapshot snapshot, RouteMatch.Found route, TokenCheck.Valid token) {
        String clientId = token.clientId();
        if (clientId == null) {
            return new Deny(Refusal.UNKNOWN_APPLICATION, Check.APPLICATION, "the token carries no client ID (claims "
                    + String.join(", ", token.issuer().claims().clientIdClaims()) + ")");
        }
        ClientBinding client = snapshot.client(token.issuer().idpId(), clientId);
        if (client == null) {
            return new Deny(Refusal.UNKNOWN_APPLICATION, Check.APPLICATION, "no application has the client ID '"
                    + shorten(clientId) + "' of identity provider '" + token.issuer().idpId() + "' linked");
        }
        Deny refused = keyTypeOrSubscriptionRefusal(snapshot, route.api(), client);
        if (refused != null) {
            return refused;
        }
        Set<String> required = route.resource().requiredScopes();
        if (!required.isEmpty() && !grantsAny(token.grantedScopes(), required)) {
            return Deny.insufficientScope(required);
        }
        return new Allow(route, client, token);
    }

    /**
     * A call with an API key: the key must be one of an application's, for this environment's key type, and the
     * application subscribed. An API key carries no scopes: an API that takes API keys lets a subscribed
     * application's key reach every resource, as the publisher chose when allowing them.
     */
    private Decision byApiKey(CompiledSnapshot snapshot, RouteMatch.Found route, List<String> apiKeys) {
        if (apiKeys.size() != 1) {
            return new Deny(Refusal.INVALID_API_KEY, Check.CREDENTIAL, "the request carries more than one API key");
        }
        ClientBinding client = snapshot.apiKey(ApiKey.digest(apiKeys.getFirst()));
        if (client == null) {
            return new Deny(Refusal.INVALID_API_KEY, Check.CREDENTIAL, "the API key is not an application's key");
        }
        Deny refused = keyTypeOrSubscriptionRefusal(snapshot, route.api(), client);
        return refused != null ? refused : new Allow(route, client, null);
    }

    /** Whether the credentials are of this environment's key type and their application subscribed to the API. */
    private Deny keyTypeOrSubscriptionRefusal(CompiledSnapshot snapshot, RoutedApi api, ClientBinding client) {
        if (client.keyType() != environment.acceptedKeyType()) {
            return new Deny(Refusal.WRONG_KEY_TYPE, Check.KEY_TYPE, client.keyType().wireName()
                    + " credentials cannot call the " + environment.wireName() + " environment");
        }
        SubscriptionGrant subscription = snapshot.subscription(client.applicationId(), api.apiId());
        if (subscription == null) {
            return new Deny(Refusal.NOT_SUBSCRIBED, Check.SUBSCRIPTION, "application '" + client.applicationId()
                    + "' is not subscribed to " + label(api));
        }
        if (!subscription.active()) {
            return new Deny(Refusal.NOT_SUBSCRIBED, Check.SUBSCRIPTION, "the subscription of application '"
                    + client.applicationId() + "' to " + label(api) + " is not active");
        }
        return null;
    }

    private static boolean grantsAny(Set<String> granted, Set<String> required) {
        for (String scope : required) {
            if (granted.contains(scope)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The URL the caller used, as a DPoP proof names it: {@code scheme://host[:port]/path}, the port left out when
     * it is the scheme's default (RFC 3986 section 6.2.3), the path as received.
     */
    static String htu(String scheme, HostAndPort authority, String rawPath) {
        int port = authority.port();
        boolean defaultPort = port < 0 || port == 80 && "http".equals(scheme) || port == 443 && "https".equals(scheme);
        return scheme + "://" + authority.host() + (defaultPort ? "" : ":" + port) + rawPath;
    }

    private static boolean hasScheme(String authorization, String scheme) {
        int length = scheme.length();
        return authorization.regionMatches(true, 0, scheme, 0, length)
                && (authorization.length() == length || authorization.charAt(length) == ' ');
    }

    /**
     * What follows the scheme ({@code Bearer } or {@code DPoP }, {@code schemeLength} characters) without
     * surrounding whitespace, or null when nothing does. Whether it is a well-formed b64token the verifier checks,
     * after its cache of verified tokens could not answer.
     */
    private static String credentials(String authorization, int schemeLength) {
        int start = schemeLength;
        int end = authorization.length();
        while (start < end && Character.isWhitespace(authorization.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(authorization.charAt(end - 1))) {
            end--;
        }
        return start == end ? null : authorization.substring(start, end);
    }

    /** How refusals name an API: {@code API 'Orders' v1}. */
    static String label(RoutedApi api) {
        return "API '" + (api.name() == null ? api.apiId() : api.name()) + "' " + api.version();
    }

    private static Future<Decision> deny(Refusal refusal, Check check, String detail) {
        return decided(new Deny(refusal, check, detail));
    }

    private static <T extends Decision> Future<T> decided(T decision) {
        return Future.succeededFuture(decision);
    }

    private static String shorten(String value) {
        return value.length() <= MAX_DETAIL_VALUE_LENGTH ? value : value.substring(0, MAX_DETAIL_VALUE_LENGTH) + "...";
    }
}
