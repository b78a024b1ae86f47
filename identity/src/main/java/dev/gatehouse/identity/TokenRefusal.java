package dev.gatehouse.identity;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationGrantError;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

/**
 * A request to the identity provider refused with an RFC 6749 section 5.2 error: the one place where every
 * refusal gets its code, status, description and headers. Stackless, for a refusal is an expected outcome.
 * Descriptions are fixed texts that tell the caller what to fix without telling it which secret was wrong.
 */
final class TokenRefusal extends RuntimeException {

    static final String CLIENT_CHALLENGE = "Basic realm=\"gatehouse\"";

    private final ErrorObject error;

    private TokenRefusal(ErrorObject error) {
        super(error.getCode(), null, false, false);
        this.error = error;
    }

    static TokenRefusal unknownOrganization() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_REQUEST_CODE, "unknown organization", 404));
    }

    static TokenRefusal invalidRequest(String description) {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_REQUEST_CODE, description, 400));
    }

    /** Unknown client, wrong secret, missing or unsupported client authentication: one answer for all. */
    static TokenRefusal invalidClient() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_CLIENT_CODE, "client authentication failed", 401));
    }

    /** Unknown user and wrong password: one answer for both. */
    static TokenRefusal invalidUserCredentials() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE, "invalid username or password", 400));
    }

    /** Too many failed password checks for the username or from the address; tells nothing about the user. */
    static TokenRefusal throttled() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "too many failed sign-ins; try again later", 400));
    }

    static TokenRefusal unsupportedGrantType() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.UNSUPPORTED_GRANT_TYPE_CODE,
                "grant_type must be authorization_code, refresh_token, password, client_credentials, "
                        + ClientRegistration.TOKEN_EXCHANGE + " or " + ClientRegistration.DEVICE_CODE, 400));
    }

    /** RFC 8628 section 3.5: the user has not decided yet; the device polls again after the interval. */
    static TokenRefusal authorizationPending() {
        return new TokenRefusal(new ErrorObject(DeviceAuthorizationGrantError.AUTHORIZATION_PENDING.getCode(),
                "the user has not yet approved the device", 400));
    }

    /** RFC 8628 section 3.5: polled sooner than the interval, which grows by 5 seconds. */
    static TokenRefusal slowDown() {
        return new TokenRefusal(new ErrorObject(DeviceAuthorizationGrantError.SLOW_DOWN.getCode(),
                "polling too fast; wait 5 seconds longer between polls", 400));
    }

    static TokenRefusal expiredDeviceCode() {
        return new TokenRefusal(new ErrorObject(DeviceAuthorizationGrantError.EXPIRED_TOKEN.getCode(),
                "device code has expired; start again", 400));
    }

    static TokenRefusal deviceDenied() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.ACCESS_DENIED_CODE, "the user denied the device", 400));
    }

    /** Unknown, redeemed and another client's device codes: one answer for all. */
    static TokenRefusal invalidDeviceCode() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "device code is invalid or already used", 400));
    }

    /** RFC 8693 section 2.2.2: an audience or resource this provider issues no tokens for. */
    static TokenRefusal invalidTarget(String target) {
        return new TokenRefusal(new ErrorObject("invalid_target",
                "no API resource of this organization has the identifier '" + target + "'", 400));
    }

    /** An unknown, expired, revoked or foreign subject token: one answer for all. */
    static TokenRefusal invalidSubjectToken() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "subject_token is not a valid access token of this organization", 400));
    }

    /** Unknown, used, expired and another client's codes: one answer for all. */
    static TokenRefusal invalidCode() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "authorization code is invalid, expired or already used", 400));
    }

    /** Unknown, expired, revoked, reused and another client's refresh tokens: one answer for all. */
    static TokenRefusal invalidRefreshToken() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "refresh token is invalid, expired or revoked", 400));
    }

    /** RFC 9449 section 5: the DPoP proof of a token request fails a check; {@code reason} says which. */
    static TokenRefusal invalidDpopProof(String reason) {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_DPOP_PROOF_CODE, reason, 400));
    }

    /** RFC 9449 section 5.2: the client is registered with dpop_bound_access_tokens and sent no proof. */
    static TokenRefusal dpopRequired() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_REQUEST_CODE,
                "this client must send a DPoP proof: its access tokens are DPoP-bound", 400));
    }

    static TokenRefusal scopeBeyondGrant() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_SCOPE_CODE,
                "scope exceeds what the refresh token was granted", 400));
    }

    static TokenRefusal redirectUriMismatch() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "redirect_uri does not match the authorization request", 400));
    }

    static TokenRefusal pkceMismatch() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_GRANT_CODE,
                "code_verifier does not match the code_challenge", 400));
    }

    static TokenRefusal unauthorizedClient(String grantType) {
        return new TokenRefusal(new ErrorObject(OAuth2Error.UNAUTHORIZED_CLIENT_CODE,
                "client is not allowed the " + grantType + " grant", 400));
    }

    static TokenRefusal invalidScope(String scope) {
        return new TokenRefusal(new ErrorObject(OAuth2Error.INVALID_SCOPE_CODE, "unknown scope '" + scope + "'", 400));
    }

    /** Another error that the OAuth SDK found while parsing, always with status 400. */
    static TokenRefusal fromParser(ErrorObject parsed) {
        return new TokenRefusal(new ErrorObject(parsed.getCode(), parsed.getDescription(), 400));
    }

    static TokenRefusal serverError() {
        return new TokenRefusal(new ErrorObject(OAuth2Error.SERVER_ERROR_CODE, "internal error", 500));
    }

    String code() {
        return error.getCode();
    }

    String description() {
        return error.getDescription();
    }

    HTTPResponse toHTTPResponse() {
        HTTPResponse response = new TokenErrorResponse(error).toHTTPResponse();
        response.setCacheControl("no-store");
        response.setPragma("no-cache");
        if (error.getHTTPStatusCode() == 401) {
            response.setWWWAuthenticate(CLIENT_CHALLENGE);
        }
        return response;
    }
}
