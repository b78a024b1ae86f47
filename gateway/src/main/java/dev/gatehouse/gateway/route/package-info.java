/**
 * Routing: a snapshot's deployed APIs compiled once into an immutable {@link dev.gatehouse.gateway.route.RouteTable}
 * that maps a method and a request path to an API resource.
 */
package dev.gatehouse.gateway.route;
