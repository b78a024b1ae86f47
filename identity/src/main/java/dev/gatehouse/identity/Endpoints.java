package dev.gatehouse.identity;

/**
 * Where an organization's built-in identity provider is reached, in Asgardeo's layout. The issuer is the token
 * endpoint's URL, as Asgardeo's is.
 *
 * @param discoveryUrl          the OpenID Connect discovery document; RFC 8414 metadata is also served at
 *                              {@code {base}/.well-known/oauth-authorization-server/t/{org}/oauth2/token}
 * @param deviceVerificationUri the page where a user enters a device's user code (RFC 8628)
 */
public record Endpoints(String issuer, String tokenEndpoint, String jwksUri, String discoveryUrl,
                        String authorizationEndpoint, String userInfoEndpoint, String endSessionEndpoint,
                        String introspectionEndpoint, String revocationEndpoint,
                        String deviceAuthorizationEndpoint, String deviceVerificationUri) {

    static Endpoints of(String publicBaseUrl, String orgHandle) {
        String tenant = publicBaseUrl + "/t/" + orgHandle + "/oauth2";
        String token = tenant + "/token";
        return new Endpoints(token, token, tenant + "/jwks", token + "/.well-known/openid-configuration",
                tenant + "/authorize", tenant + "/userinfo", tenant + "/logout", tenant + "/introspect",
                tenant + "/revoke", tenant + "/device_authorization", tenant + "/device");
    }

    /** RFC 8414 section 3: the well-known suffix goes between the host and the issuer's path. */
    static String authorizationServerMetadataUrl(String publicBaseUrl, String orgHandle) {
        return publicBaseUrl + "/.well-known/oauth-authorization-server/t/" + orgHandle + "/oauth2/token";
    }
}
