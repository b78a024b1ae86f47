package dev.gatehouse.identity;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import dev.gatehouse.model.identity.OAuthClient;
import dev.gatehouse.model.identity.RefreshToken;
import dev.gatehouse.store.Store;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token introspection (RFC 7662, {@code POST /t/{org}/oauth2/introspect}) and revocation (RFC 7009,
 * {@code POST /t/{org}/oauth2/revoke}) for access and refresh tokens of one organization.
 *
 * <p>Introspection answers only a confidential client of the organization (a resource server, typically), with
 * the same client authentication and the same {@code invalid_client} refusal as the token endpoint. A token is
 * active when this organization issued it, it has not expired and nobody revoked it; anything else, including a
 * token of another organization, is just {@code {"active": false}}. Revocation accepts the client a token was
 * issued to, public clients included; revoking a refresh token revokes its whole family, revoking an access
 * token records its {@code jti} until it would have expired. As RFC 7009 section 2.2 asks, an unknown, invalid
 * or foreign token is answered 200 all the same, so revocation reveals nothing about tokens. A DPoP-bound access
 * token (RFC 9449 section 6.2) introspects as {@code token_type} DPoP with its {@code cnf.jkt}.
 *
 * <p>What it costs: one store read for a refresh token, a signature check and one indexed read for an access
 * token. Revoking an access token is a configuration write (it advances the configuration revision): gateways are
 * sent the revoked token IDs with their next snapshot, within a second, and refuse the token from then on.
 */
final class TokenStatusEndpoint {

    private static final Logger log = LoggerFactory.getLogger(TokenStatusEndpoint.class);

    private final Store store;
    private final IdpConfig config;
    private final SigningKeys keys;
    private final AccessTokenVerifier verifier;
    private final Audit audit;
    private final Clock clock;

    TokenStatusEndpoint(Store store, IdpConfig config, SigningKeys keys, AccessTokenVerifier verifier, Audit audit,
                        Clock clock) {
        this.audit = audit;
        this.store = store;
        this.config = config;
        this.keys = keys;
        this.verifier = verifier;
        this.clock = clock;
    }

    HTTPResponse introspect(String orgHandle, String authorization, String contentType, String body) {
        return guarded(orgHandle, () -> {
            SigningKeys.OrgKeys org = keys.ofOrganization(orgHandle).orElseThrow(TokenRefusal::unknownOrganization);
            HTTPRequest http = TokenEndpoint.formRequest(URI.create(endpoints(orgHandle).introspectionEndpoint()), null, authorization, contentType, body);
            TokenIntrospectionRequest request;
            try {
                request = TokenIntrospectionRequest.parse(http);
            } catch (ParseException e) {
                throw refusal(e);
            }
            ClientAuthentication auth = request.getClientAuthentication();
            if (auth == null) {
                throw TokenRefusal.invalidClient();
            }
            OAuthClient client = TokenEndpoint.authenticate(auth,
                    store.read(tx -> tx.oauthClients().findByClientId(org.orgId(), auth.getClientID().getValue())));
            log.debug("client {} of organization {} introspects a token", client.clientId(), client.orgId());
            return status(org, endpoints(orgHandle), request.getToken().getValue()).toHTTPResponse();
        });
    }

    HTTPResponse revoke(String orgHandle, String authorization, String contentType, String body) {
        return guarded(orgHandle, () -> {
            SigningKeys.OrgKeys org = keys.ofOrganization(orgHandle).orElseThrow(TokenRefusal::unknownOrganization);
            HTTPRequest http = TokenEndpoint.formRequest(URI.create(endpoints(orgHandle).revocationEndpoint()), null, authorization, contentType, body);
            TokenRevocationRequest request;
            try {
                request = TokenRevocationRequest.parse(http);
            } catch (ParseException e) {
                throw refusal(e);
            }
            ClientAuthentication auth = request.getClientAuthentication();
            ClientID clientId = auth != null ? auth.getClientID() : request.getClientID();
            if (clientId == null) {
                throw TokenRefusal.invalidClient();
            }
            OAuthClient client = TokenEndpoint.authenticate(auth,
                    store.read(tx -> tx.oauthClients().findByClientId(org.orgId(), clientId.getValue())));
            revoke(org, client, request.getToken().getValue());
            HTTPResponse ok = new HTTPResponse(200);
            ok.setCacheControl("no-store");
            return ok;
        });
    }

    private void revoke(SigningKeys.OrgKeys org, OAuthClient client, String token) {
        String hash = ClientSecrets.hash(token);
        Optional<RefreshToken> refresh = store.read(tx -> tx.refreshTokens().find(org.orgId(), hash));
        if (refresh.isPresent()) {
            if (refresh.get().clientId().equals(client.clientId())) {
                store.record(tx -> tx.refreshTokens().revokeFamily(refresh.get().familyId()));
                audit.record(org.orgId(), "token.revoked", refresh.get().userId(), client.clientId(), null,
                        "refresh_token");
                log.info("client {} of organization {} revoked a refresh token family", client.clientId(),
                        client.orgId());
            }
            return;
        }
        verifier.verify(token)
                .filter(access -> access.orgHandle().equals(org.orgHandle()))
                .filter(access -> client.clientId().equals(access.clientId()))
                .ifPresent(access -> {
                    Instant expiresAt = access.claims().getExpirationTime().toInstant();
                    store.write(tx -> {
                        tx.revokedAccessTokens().deleteExpired(clock.instant());
                        tx.revokedAccessTokens().revoke(org.orgId(), access.claims().getJWTID(), expiresAt);
                        return null;
                    });
                    audit.record(org.orgId(), "token.revoked", access.subject(), client.clientId(), null,
                            "access_token");
                    log.info("client {} of organization {} revoked an access token", client.clientId(),
                            client.orgId());
                });
    }

    private TokenIntrospectionSuccessResponse status(SigningKeys.OrgKeys org, Endpoints endpoints, String token) {
        Instant now = clock.instant();
        Optional<RefreshToken> refresh = store.read(tx -> tx.refreshTokens().find(org.orgId(),
                ClientSecrets.hash(token)));
        if (refresh.isPresent()) {
            RefreshToken found = refresh.get();
            if (found.revoked() || found.used() || !now.isBefore(found.expiresAt())) {
                return inactive();
            }
            return new TokenIntrospectionSuccessResponse.Builder(true)
                    .scope(new Scope(found.scopes().stream().sorted().toArray(String[]::new)))
                    .clientID(new ClientID(found.clientId()))
                    .subject(new Subject(found.userId()))
                    .issuer(new Issuer(endpoints.issuer()))
                    .expirationTime(Date.from(found.expiresAt()))
                    .parameter("token_type", "refresh_token")
                    .build();
        }
        Optional<VerifiedToken> access = verifier.verify(token)
                .filter(found -> found.orgHandle().equals(org.orgHandle()))
                .filter(found -> !store.read(tx -> tx.revokedAccessTokens().isRevoked(found.claims().getJWTID())));
        if (access.isEmpty()) {
            return inactive();
        }
        VerifiedToken found = access.get();
        TokenIntrospectionSuccessResponse.Builder builder = new TokenIntrospectionSuccessResponse.Builder(true)
                .scope(new Scope(found.scopes().stream().sorted().toArray(String[]::new)))
                .clientID(new ClientID(found.clientId()))
                .subject(new Subject(found.subject()))
                .issuer(new Issuer(endpoints.issuer()))
                .expirationTime(found.claims().getExpirationTime())
                .issueTime(found.claims().getIssueTime())
                .jwtID(new JWTID(found.claims().getJWTID()));
        String jkt;
        try {
            jkt = DpopProofs.jkt(found.claims().getJSONObjectClaim("cnf"));
        } catch (java.text.ParseException e) {
            jkt = null;
        }
        if (jkt != null) {
            builder.tokenType(AccessTokenType.DPOP)
                    .jwkThumbprintConfirmation(new JWKThumbprintConfirmation(new Base64URL(jkt)));
        } else {
            builder.tokenType(AccessTokenType.BEARER);
        }
        Object username = found.claims().getClaim("username");
        if (username instanceof String name) {
            builder.username(name);
        }
        return builder.build();
    }

    private static TokenIntrospectionSuccessResponse inactive() {
        return new TokenIntrospectionSuccessResponse.Builder(false).build();
    }

    private Endpoints endpoints(String orgHandle) {
        return Endpoints.of(config.publicBaseUrl(), orgHandle);
    }

    private static TokenRefusal refusal(ParseException e) {
        if (e.getErrorObject() != null && "invalid_client".equals(e.getErrorObject().getCode())) {
            return TokenRefusal.invalidClient();
        }
        return e.getErrorObject() == null ? TokenRefusal.invalidRequest(e.getMessage())
                : TokenRefusal.fromParser(e.getErrorObject());
    }

    private static HTTPResponse guarded(String orgHandle, Supplier<HTTPResponse> work) {
        try {
            return work.get();
        } catch (TokenRefusal refusal) {
            return refusal.toHTTPResponse();
        } catch (RuntimeException e) {
            log.error("token status request to organization {} failed", orgHandle, e);
            return TokenRefusal.serverError().toHTTPResponse();
        }
    }
}
