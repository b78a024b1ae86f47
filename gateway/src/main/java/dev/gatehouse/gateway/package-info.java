/**
 * The data plane. {@link dev.gatehouse.gateway.Gateway} is one environment's HTTP listener: it serves calls from
 * an in-memory {@link dev.gatehouse.model.snapshot.GatewaySnapshot}, decides on each in the order route,
 * credential, issuer, signature, claims, application, key type, subscription, scope, and forwards what passes to
 * the API's backend. {@link dev.gatehouse.gateway.GatewayConfig} is its configuration. Everything else in this
 * package is internal.
 */
package dev.gatehouse.gateway;
