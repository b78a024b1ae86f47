package dev.gatehouse.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.FeedProtocol;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.client.WebClient;
import java.text.ParseException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway process's {@link OpaqueTokenResolver}: asks the control plane
 * ({@link FeedProtocol#TOKEN_RESOLUTION_ROUTE}) with the gateway token. 404 means unknown; anything else but 200 is
 * a failure, and the call is refused rather than let through.
 */
public final class HttpOpaqueTokenResolver implements OpaqueTokenResolver {

    private final WebClient client;
    private final String url;
    private final String gatewayToken;
    private final long timeoutMillis;

    /** @param controlPlaneUrl the control plane's base URL, without trailing slash */
    public HttpOpaqueTokenResolver(WebClient client, String controlPlaneUrl, Environment environment,
                                   String gatewayToken, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.url = controlPlaneUrl + FeedProtocol.tokenResolutionPath(environment);
        this.gatewayToken = Objects.requireNonNull(gatewayToken, "gatewayToken");
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public Future<Optional<JWTClaimsSet>> resolve(String token) {
        return client.postAbs(url)
                .bearerTokenAuthentication(gatewayToken)
                .timeout(timeoutMillis)
                .sendForm(MultiMap.caseInsensitiveMultiMap().add("token", token))
                .compose(response -> {
                    if (response.statusCode() == 404) {
                        return Future.succeededFuture(Optional.empty());
                    }
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("the control plane answered " + response.statusCode());
                    }
                    try {
                        return Future.succeededFuture(Optional.of(JWTClaimsSet.parse(response.bodyAsString())));
                    } catch (ParseException e) {
                        return Future.failedFuture(e);
                    }
                });
    }
}
