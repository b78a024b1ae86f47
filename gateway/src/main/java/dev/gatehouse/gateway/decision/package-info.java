/**
 * The gateway's verdicts as values: a {@link dev.gatehouse.gateway.decision.Decision} is either
 * {@code Allow} or {@code Deny}, and every {@code Deny} names one {@link dev.gatehouse.gateway.decision.Refusal}
 * of the single error taxonomy and the {@link dev.gatehouse.gateway.decision.Check} that refused. Expected refusals
 * are plain values, never exceptions, so a flood of bad tokens builds no stack traces.
 */
package dev.gatehouse.gateway.decision;
