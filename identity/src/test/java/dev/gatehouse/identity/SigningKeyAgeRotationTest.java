package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.AuditEvent;
import dev.gatehouse.model.identity.SigningKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation of the signing key by age: the periodic check, driven by the test's clock, rotates with the usual overlap
 * once the newest key has signed for as long as the organization's policy allows, and only one of several replicas
 * on one database rotates.
 */
class SigningKeyAgeRotationTest {

    private IdpServer server;
    private Organization org;

    @BeforeEach
    void start() {
        server = IdpServer.start();
        org = server.createOrganization("aging");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<SigningKeyState> keys() {
        return server.store.read(tx -> server.idp.signingKeys(tx, org.id()));
    }

    private SigningKeyPolicyState setPolicy(int days, String algorithm) {
        return server.write(tx -> server.idp.setSigningKeyPolicy(tx, org.id(), days, algorithm));
    }

    @Test
    void withoutAPolicy_keysAreNeverRotatedByAge() {
        server.clock.advance(Duration.ofDays(1000));

        assertThat(server.idp.rotateAgedSigningKeys()).isEmpty();
        assertThat(keys()).hasSize(1);
        SigningKeyPolicyState policy = server.store.read(tx -> server.idp.signingKeyPolicy(tx, org.id()));
        assertThat(policy).isEqualTo(new SigningKeyPolicyState(0, "RS256", null));
    }

    @Test
    void aKeyOlderThanThePolicy_isRotatedWithOverlap_once_andItsSuccessorInTurn() throws Exception {
        SigningKeyPolicyState policy = setPolicy(90, "ES256");
        assertThat(policy.nextRotationAt()).isEqualTo(IdpServer.START.plus(Duration.ofDays(90)));

        server.clock.advance(Duration.ofDays(90).minusSeconds(1));
        assertThat(server.idp.rotateAgedSigningKeys()).as("a second early").isEmpty();
        server.clock.advance(Duration.ofSeconds(1));
        List<SigningKeyState> made = server.idp.rotateAgedSigningKeys();

        assertThat(made).singleElement().satisfies(key -> {
            assertThat(key.algorithm()).isEqualTo("ES256");
            assertThat(key.state()).isEqualTo("next");
            assertThat(key.signsFrom()).isEqualTo(server.clock.instant().plus(SigningKeys.PUBLISH_AHEAD));
        });
        assertThat(server.idp.rotateAgedSigningKeys()).as("a rotation still to take effect").isEmpty();
        server.clock.advance(SigningKeys.PUBLISH_AHEAD);
        assertThat(server.idp.rotateAgedSigningKeys()).as("the new key has just begun").isEmpty();
        assertThat(keys()).extracting(SigningKeyState::state).containsExactly("retired", "signing");
        assertThat(server.signingKey(org).kid()).isEqualTo(made.getFirst().kid());
        List<AuditEvent> events = server.store.read(tx -> tx.auditEvents().list(org.id(), 10));
        assertThat(events).filteredOn(event -> event.type().equals("signing_key.rotated")).singleElement()
                .satisfies(event -> assertThat(event.detail()).endsWith(" -> " + made.getFirst().kid()));

        server.clock.advance(Duration.ofDays(90));
        assertThat(server.idp.rotateAgedSigningKeys()).singleElement()
                .satisfies(key -> assertThat(key.kid()).isNotEqualTo(made.getFirst().kid()));
    }

    @Test
    void turningThePolicyOff_stopsRotation_andAManualRotationRestartsTheAge() {
        setPolicy(30, "RS256");
        server.clock.advance(Duration.ofDays(20));
        server.write(tx -> server.idp.rotateSigningKey(tx, org.id(), "RS256", true));
        server.clock.advance(Duration.ofDays(20));

        assertThat(server.idp.rotateAgedSigningKeys()).as("the manual key is 20 days old").isEmpty();
        setPolicy(0, "RS256");
        server.clock.advance(Duration.ofDays(365));
        assertThat(server.idp.rotateAgedSigningKeys()).isEmpty();
        assertThat(keys()).hasSize(1);
    }

    @Test
    void anInvalidPolicy_isRefusedNamingTheField_andTheStoredOneStays() {
        setPolicy(90, "RS256");

        assertThatThrownBy(() -> setPolicy(-1, "RS256")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rotateAfterDays must be 0 (off) to 3650, was -1");
        assertThatThrownBy(() -> setPolicy(30, "HS256")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("algorithm must be one of RS256, PS256 or ES256, was HS256");
        assertThat(server.store.read(tx -> server.idp.signingKeyPolicy(tx, org.id())).rotateAfterDays())
                .isEqualTo(90);
    }

    @Test
    void replicasCheckingAtOnce_rotateOnlyOnce() throws Exception {
        List<Organization> orgs = new ArrayList<>(List.of(org));
        for (int i = 0; i < 5; i++) {
            orgs.add(server.createOrganization("aging-" + i));
        }
        for (Organization each : orgs) {
            server.write(tx -> server.idp.setSigningKeyPolicy(tx, each.id(), 7, "RS256"));
        }
        List<BuiltInIdentityProvider> replicas = List.of(server.idp, replica(), replica());
        server.clock.advance(Duration.ofDays(7));

        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(replicas.size());
        List<Future<List<SigningKeyState>>> checks = new ArrayList<>();
        for (BuiltInIdentityProvider replica : replicas) {
            checks.add(threads.submit((Callable<List<SigningKeyState>>) () -> {
                go.await();
                return replica.rotateAgedSigningKeys();
            }));
        }
        go.countDown();
        int made = 0;
        for (Future<List<SigningKeyState>> check : checks) {
            made += check.get().size();
        }
        threads.shutdown();

        assertThat(made).isEqualTo(orgs.size());
        for (Organization each : orgs) {
            List<SigningKey> stored = server.store.read(tx -> tx.signingKeys().list(each.id()));
            assertThat(stored).as(each.handle()).hasSize(2);
        }
    }

    private BuiltInIdentityProvider replica() {
        return new BuiltInIdentityProvider(server.store, new IdpConfig(server.baseUrl), IdpServer.CHEAP_HASHER,
                server.masterKey, server.clock);
    }
}
