package dev.gatehouse.identity;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.oauth2.sdk.token.DPoPTokenError;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Store;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The OpenID Connect userinfo endpoint ({@code GET|POST /t/{org}/oauth2/userinfo}): the signed-in user's claims
 * for an access token of this organization that carries the {@code openid} scope; {@code sub} always,
 * {@code preferred_username} under {@code profile}, and {@code groups} (the names of the user's groups, sorted)
 * whenever the user belongs to any, as in the ID token. Refusals are RFC 6750 errors with their challenge.
 *
 * <p>A DPoP-bound token (one with {@code cnf.jkt}, RFC 9449) must come as {@code Authorization: DPoP <token>} with
 * a proof of the bound key for this request ({@code htm} its method, {@code htu} this endpoint, {@code ath} the
 * token's hash); presented as a bearer token it is {@code invalid_token}, and a failed proof is
 * {@code invalid_dpop_proof}, both with a {@code DPoP} challenge. The DPoP scheme with an unbound token is refused
 * too.
 */
final class UserInfoEndpoint {

    private static final String DPOP_SCHEME = "DPoP ";

    private final Store store;
    private final IdpConfig config;
    private final AccessTokenVerifier verifier;
    private final DpopProofs dpop;

    UserInfoEndpoint(Store store, IdpConfig config, AccessTokenVerifier verifier, DpopProofs dpop) {
        this.store = store;
        this.config = config;
        this.verifier = verifier;
        this.dpop = dpop;
    }

    HTTPResponse handle(String orgHandle, String method, String authorization, List<String> dpopProofs) {
        boolean dpopScheme = authorization != null && authorization.regionMatches(true, 0, DPOP_SCHEME, 0,
                DPOP_SCHEME.length());
        String token;
        if (dpopScheme) {
            token = authorization.substring(DPOP_SCHEME.length()).strip();
        } else {
            try {
                token = BearerAccessToken.parse(authorization).getValue();
            } catch (ParseException e) {
                return refuse(BearerTokenError.MISSING_TOKEN);
            }
        }
        Optional<VerifiedToken> verified = verifier.verify(token)
                .filter(found -> found.orgHandle().equals(orgHandle));
        if (verified.isEmpty()) {
            return dpopScheme ? refuse(DPoPTokenError.INVALID_TOKEN) : refuse(BearerTokenError.INVALID_TOKEN);
        }
        String jkt = DpopProofs.jkt(cnf(verified.get()));
        if (jkt == null && dpopScheme) {
            return refuse(DPoPTokenError.INVALID_TOKEN.setDescription("the access token is not DPoP-bound"));
        }
        if (jkt != null && !dpopScheme) {
            return refuse(DPoPTokenError.INVALID_TOKEN
                    .setDescription("the access token is DPoP-bound: send it with the DPoP scheme and a proof"));
        }
        if (jkt != null) {
            URI userInfo = URI.create(Endpoints.of(config.publicBaseUrl(), orgHandle).userInfoEndpoint());
            String failed = dpop.resourceRequest(method, userInfo, dpopProofs, token, jkt);
            if (failed != null) {
                return refuse(DPoPTokenError.INVALID_DPOP_PROOF.setDescription(failed));
            }
        }
        if (!verified.get().scopes().contains("openid")) {
            return jkt != null ? refuse(DPoPTokenError.INSUFFICIENT_SCOPE.setScope(new Scope("openid")))
                    : refuse(BearerTokenError.INSUFFICIENT_SCOPE.setScope(new Scope("openid")));
        }
        Optional<User> user = store.read(tx -> tx.users().findById(verified.get().subject()));
        if (user.isEmpty()) {
            return jkt != null ? refuse(DPoPTokenError.INVALID_TOKEN) : refuse(BearerTokenError.INVALID_TOKEN);
        }
        UserInfo info = new UserInfo(new Subject(user.get().id()));
        if (verified.get().scopes().contains("profile")) {
            info.setPreferredUsername(user.get().username());
        }
        if (!user.get().groups().isEmpty()) {
            info.setClaim("groups", List.copyOf(new TreeSet<>(user.get().groups())));
        }
        HTTPResponse response = new UserInfoSuccessResponse(info).toHTTPResponse();
        response.setCacheControl("no-store");
        return response;
    }

    private static java.util.Map<String, Object> cnf(VerifiedToken token) {
        try {
            return token.claims().getJSONObjectClaim("cnf");
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    private static HTTPResponse refuse(BearerTokenError error) {
        return new UserInfoErrorResponse(error).toHTTPResponse();
    }

    /** A DPoP refusal: its status, the {@code DPoP} challenge naming the accepted algorithms, the error as JSON. */
    private static HTTPResponse refuse(DPoPTokenError error) {
        DPoPTokenError challenge = error.setJWSAlgorithms(DpopProofs.ALGORITHMS);
        HTTPResponse response = new HTTPResponse(challenge.getHTTPStatusCode());
        response.setWWWAuthenticate(challenge.toWWWAuthenticateHeader());
        response.setCacheControl("no-store");
        ErrorObject body = new ErrorObject(challenge.getCode(), challenge.getDescription());
        response.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_JSON);
        response.setBody(body.toJSONObject().toJSONString());
        return response;
    }
}
