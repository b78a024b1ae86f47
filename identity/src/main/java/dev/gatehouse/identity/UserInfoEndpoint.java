package dev.gatehouse.identity;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The OpenID Connect userinfo endpoint ({@code GET|POST /t/{org}/oauth2/userinfo}): the signed-in user's claims
 * for a bearer access token of this organization that carries the {@code openid} scope; {@code sub} always,
 * {@code preferred_username} under {@code profile}, and {@code groups} (the names of the user's groups, sorted)
 * whenever the user belongs to any, as in the ID token. Refusals are RFC 6750 errors with their challenge.
 */
final class UserInfoEndpoint {

    private final Store store;
    private final AccessTokenVerifier verifier;

    UserInfoEndpoint(Store store, AccessTokenVerifier verifier) {
        this.store = store;
        this.verifier = verifier;
    }

    HTTPResponse handle(String orgHandle, String authorization) {
        BearerAccessToken token;
        try {
            token = BearerAccessToken.parse(authorization);
        } catch (ParseException e) {
            return refuse(BearerTokenError.MISSING_TOKEN);
        }
        Optional<VerifiedToken> verified = verifier.verify(token.getValue())
                .filter(found -> found.orgHandle().equals(orgHandle));
        if (verified.isEmpty()) {
            return refuse(BearerTokenError.INVALID_TOKEN);
        }
        if (!verified.get().scopes().contains("openid")) {
            return refuse(BearerTokenError.INSUFFICIENT_SCOPE.setScope(new Scope("openid")));
        }
        Optional<User> user = store.read(tx -> tx.users().findById(verified.get().subject()));
        if (user.isEmpty()) {
            return refuse(BearerTokenError.INVALID_TOKEN);
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

    private static HTTPResponse refuse(BearerTokenError error) {
        return new UserInfoErrorResponse(error).toHTTPResponse();
    }
}
