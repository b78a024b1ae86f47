/**
 * Bearer-token verification: the {@link dev.gatehouse.gateway.security.TokenVerifier} checks a JWT's issuer,
 * signature and time claims against the keys an issuer publishes, which the
 * {@link dev.gatehouse.gateway.security.JwksCache} fetches without blocking and keeps.
 */
package dev.gatehouse.gateway.security;
