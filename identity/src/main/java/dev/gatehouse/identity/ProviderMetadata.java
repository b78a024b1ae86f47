package dev.gatehouse.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.URI;
import java.util.List;

/**
 * The discovery document of an organization's provider, served both as OpenID Connect discovery and as RFC 8414
 * authorization-server metadata (the OpenID document is a valid RFC 8414 one). It states only what is served:
 * the code flow with PKCE S256 and OpenID Connect ID tokens, userinfo, logout, introspection, revocation, refresh
 * tokens, the password, client_credentials, token exchange (RFC 8693) and device authorization (RFC 8628) grants,
 * and DPoP proofs (RFC 9449) with the algorithms {@link DpopProofs} accepts.
 */
final class ProviderMetadata {

    private ProviderMetadata() {
    }

    static String json(Endpoints endpoints) {
        OIDCProviderMetadata metadata = new OIDCProviderMetadata(new Issuer(endpoints.issuer()),
                List.of(SubjectType.PUBLIC), URI.create(endpoints.jwksUri()));
        metadata.setTokenEndpointURI(URI.create(endpoints.tokenEndpoint()));
        metadata.setAuthorizationEndpointURI(URI.create(endpoints.authorizationEndpoint()));
        metadata.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.PASSWORD,
                GrantType.CLIENT_CREDENTIALS, GrantType.TOKEN_EXCHANGE, GrantType.DEVICE_CODE));
        metadata.setDeviceAuthorizationEndpointURI(URI.create(endpoints.deviceAuthorizationEndpoint()));
        metadata.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        metadata.setResponseModes(List.of(ResponseMode.QUERY));
        metadata.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        metadata.setResponseTypes(List.of(ResponseType.CODE));
        metadata.setDPoPJWSAlgs(List.copyOf(DpopProofs.ALGORITHMS));
        metadata.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256));
        metadata.setUserInfoEndpointURI(URI.create(endpoints.userInfoEndpoint()));
        metadata.setEndSessionEndpointURI(URI.create(endpoints.endSessionEndpoint()));
        metadata.setIntrospectionEndpointURI(URI.create(endpoints.introspectionEndpoint()));
        metadata.setIntrospectionEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST));
        metadata.setRevocationEndpointURI(URI.create(endpoints.revocationEndpoint()));
        metadata.setRevocationEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        metadata.setScopes(new Scope("openid", "profile"));
        metadata.setClaims(List.of("sub", "iss", "aud", "exp", "iat", "azp", "nonce", "preferred_username"));
        return metadata.toJSONObject().toJSONString();
    }
}
