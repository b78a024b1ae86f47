package dev.gatehouse.gateway;

import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.model.snapshot.ClientBinding;

/**
 * One call as the gateway sees it from arrival to last byte: when it began, the request ID and trace context it
 * carries on, the route and application it was decided for, how it was refused if it was, and what to undo if the
 * caller goes away. Only the call's own event loop touches it, so it needs no locking. It is reported once, when
 * the answer ends or the connection closes first, to the metrics and the access log.
 */
final class Exchange {

    private final long startNanos;
    private final String requestId;
    private final String traceparent;
    private RouteMatch.Found route;
    private ClientBinding client;
    private Deny refusal;
    private Runnable onCutOff;
    private boolean finished;

    Exchange(long startNanos, String requestId, String traceparent) {
        this.startNanos = startNanos;
        this.requestId = requestId;
        this.traceparent = traceparent;
    }

    long startNanos() {
        return startNanos;
    }

    String requestId() {
        return requestId;
    }

    String traceparent() {
        return traceparent;
    }

    /** The route, once the call has one; null before, or when none matched. */
    RouteMatch.Found route() {
        return route;
    }

    void routed(RouteMatch.Found found) {
        this.route = found;
    }

    /** The calling application's binding, once the call is allowed; null otherwise. */
    ClientBinding client() {
        return client;
    }

    void allowed(ClientBinding binding) {
        this.client = binding;
    }

    /** How the call was refused; null when it was not. */
    Deny refusal() {
        return refusal;
    }

    void refused(Deny deny) {
        this.refusal = deny;
    }

    /** What to do when the caller's connection closes before the answer ends, such as resetting the backend call. */
    void onCutOff(Runnable action) {
        this.onCutOff = action;
    }

    void cutOff() {
        if (onCutOff != null) {
            onCutOff.run();
        }
    }

    /** True the first time only: the call is reported once however it ends. */
    boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        return true;
    }
}
