package dev.gatehouse.controlplane;

import dev.gatehouse.model.Environment;
import java.util.Map;
import java.util.Objects;

/**
 * How the control plane describes the system to its users.
 *
 * @param gatewayUrls          the public base URL of each environment's gateway, without trailing slash, used in
 *                             the invocation URLs the API shows
 * @param operatorOrganization the handle of the organization whose admins administer every organization
 */
public record ControlPlaneConfig(Map<Environment, String> gatewayUrls, String operatorOrganization) {

    public static final String DEFAULT_OPERATOR_ORGANIZATION = "gatehouse";

    public ControlPlaneConfig {
        Objects.requireNonNull(operatorOrganization, "operatorOrganization");
        gatewayUrls = Map.copyOf(gatewayUrls);
        for (Environment environment : Environment.values()) {
            String url = gatewayUrls.get(environment);
            if (url == null || !url.matches("https?://[^\\s]+") || url.endsWith("/")) {
                throw new IllegalArgumentException("gateway." + environment.wireName()
                        + ".publicUrl must be an http(s) URL without trailing slash, was '" + url + "'");
            }
        }
    }
}
