package dev.gatehouse.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.store.Store;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OpenID Connect RP-initiated logout ({@code GET /t/{org}/oauth2/logout}, the {@code end_session_endpoint}).
 * The provider keeps no sign-in session, so there is nothing to end here: the endpoint confirms, and sends the
 * browser back to {@code post_logout_redirect_uri} with {@code state} only when an ID token this organization
 * signed ({@code id_token_hint}, expired or not) names a client that registered that URI, compared exactly.
 * Anything else is a page on this server, so logout cannot be used as an open redirector.
 */
final class LogoutEndpoint {

    static final String SIGNED_OUT = "You are signed out.";

    private final Store store;
    private final IdpConfig config;
    private final SigningKeys keys;

    LogoutEndpoint(Store store, IdpConfig config, SigningKeys keys) {
        this.store = store;
        this.config = config;
        this.keys = keys;
    }

    AuthorizationEndpoint.Outcome handle(String orgHandle, String rawQuery) {
        Optional<SigningKeys.OrgKeys> org = keys.ofOrganization(orgHandle);
        if (org.isEmpty()) {
            return page(404, "This organization does not exist.");
        }
        LogoutRequest request;
        try {
            request = LogoutRequest.parse(URLUtils.parseParameters(rawQuery == null ? "" : rawQuery));
        } catch (ParseException e) {
            return page(400, "The logout request is invalid.");
        }
        URI redirect = request.getPostLogoutRedirectionURI();
        if (redirect == null) {
            return page(200, SIGNED_OUT);
        }
        Optional<String> clientId = audience(org.get(), request.getIDTokenHint(),
                Endpoints.of(config.publicBaseUrl(), orgHandle).issuer());
        Optional<OAuthClient> client = clientId.flatMap(id ->
                store.read(tx -> tx.oauthClients().findByClientId(org.get().orgId(), id)));
        if (client.isEmpty() || !client.get().redirectUris().contains(redirect.toString())) {
            return page(400, "The application's post_logout_redirect_uri is not one it registered.");
        }
        State state = request.getState();
        String location = state == null ? redirect.toString()
                : redirect + (redirect.getRawQuery() == null ? "?" : "&")
                        + URLUtils.serializeParameters(Map.of("state", List.of(state.getValue())));
        return new AuthorizationEndpoint.Outcome.Redirect(URI.create(location));
    }

    /** The single audience of an ID token signed with one of the organization's keys and naming its issuer. */
    private static Optional<String> audience(SigningKeys.OrgKeys org, JWT hint, String issuer) {
        if (!(hint instanceof SignedJWT jwt)) {
            return Optional.empty();
        }
        String kid = jwt.getHeader().getKeyID();
        JWK key = kid == null ? null : org.publicKeys().getKeyByKeyId(kid);
        try {
            if (key == null || !jwt.getHeader().getAlgorithm().equals(key.getAlgorithm())
                    || !jwt.verify(key instanceof ECKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier(key.toRSAKey()))
                    || !issuer.equals(jwt.getJWTClaimsSet().getIssuer())
                    || jwt.getJWTClaimsSet().getAudience().size() != 1) {
                return Optional.empty();
            }
            return Optional.of(jwt.getJWTClaimsSet().getAudience().getFirst());
        } catch (JOSEException | java.text.ParseException e) {
            return Optional.empty();
        }
    }

    private static AuthorizationEndpoint.Outcome page(int status, String message) {
        return new AuthorizationEndpoint.Outcome.Page(status, status == 200 ? LoginPages.signedOut(message)
                : LoginPages.error(message));
    }
}
