package dev.gatehouse.identity;

import dev.gatehouse.store.Store;

/**
 * Records the provider's security events (sign-ins, grants, consents, revocations) in the store, where the
 * management API lists them. Each event is its own small transaction that leaves the configuration revision
 * alone; no secret (password, token, code) is ever part of one.
 */
final class Audit {

    private final Store store;

    Audit(Store store) {
        this.store = store;
    }

    void record(String orgId, String type, String actor, String clientId, String clientIp, String detail) {
        store.record(tx -> tx.auditEvents().add(orgId, type, actor, clientId, clientIp, detail));
    }
}
