package dev.gatehouse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.ApiRevision;
import dev.gatehouse.model.api.Deployment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Revisions (frozen copies of an API's definition, kept as JSON) and which revision each environment serves.
 */
public final class DeploymentRepository {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A deployed revision with what the gateways need beside it: the organization and the API's state now. */
    public record DeployedRevision(String orgHandle, Lifecycle lifecycle, ApiRevision revision) {
    }

    private final Handle handle;
    private final Clock clock;

    DeploymentRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Freezes the API's current definition as its next revision. */
    public ApiRevision createRevision(Api api) {
        int number = handle.createQuery("SELECT COALESCE(MAX(number), 0) + 1 FROM api_revisions WHERE api_id = :api")
                .bind("api", api.id())
                .mapTo(Integer.class)
                .one();
        ApiRevision revision = new ApiRevision(Columns.newId(), api.id(), number, api, clock.instant());
        handle.createUpdate("""
                        INSERT INTO api_revisions (id, api_id, number, definition, created_at)
                        VALUES (:id, :api, :number, :definition, :at)""")
                .bind("id", revision.id())
                .bind("api", api.id())
                .bind("number", number)
                .bind("definition", toJson(api))
                .bind("at", Columns.timestamp(revision.createdAt()))
                .execute();
        return revision;
    }

    /** Points the environment at the revision, replacing what it served before. */
    public Deployment deploy(ApiRevision revision, Environment environment) {
        Instant now = clock.instant();
        handle.createUpdate("DELETE FROM deployments WHERE api_id = :api AND environment = :env")
                .bind("api", revision.apiId())
                .bind("env", environment.name())
                .execute();
        handle.createUpdate("""
                        INSERT INTO deployments (api_id, environment, revision_id, deployed_at)
                        VALUES (:api, :env, :revision, :at)""")
                .bind("api", revision.apiId())
                .bind("env", environment.name())
                .bind("revision", revision.id())
                .bind("at", Columns.timestamp(now))
                .execute();
        return new Deployment(revision.apiId(), environment, revision.id(), revision.number(), now);
    }

    public boolean undeploy(String apiId, Environment environment) {
        return handle.createUpdate("DELETE FROM deployments WHERE api_id = :api AND environment = :env")
                .bind("api", apiId)
                .bind("env", environment.name())
                .execute() == 1;
    }

    public List<Deployment> deployments(String apiId) {
        return handle.createQuery("""
                        SELECT d.*, r.number FROM deployments d JOIN api_revisions r ON r.id = d.revision_id
                        WHERE d.api_id = :api ORDER BY d.environment""")
                .bind("api", apiId)
                .map((rs, ctx) -> new Deployment(rs.getString("api_id"),
                        Environment.valueOf(rs.getString("environment")), rs.getString("revision_id"),
                        rs.getInt("number"), Columns.instant(rs, "deployed_at")))
                .list();
    }

    public Optional<ApiRevision> deployedRevision(String apiId, Environment environment) {
        return handle.createQuery("""
                        SELECT r.* FROM deployments d JOIN api_revisions r ON r.id = d.revision_id
                        WHERE d.api_id = :api AND d.environment = :env""")
                .bind("api", apiId)
                .bind("env", environment.name())
                .map((rs, ctx) -> mapRevision(rs))
                .findOne();
    }

    public List<ApiRevision> revisions(String apiId) {
        return handle.createQuery("SELECT * FROM api_revisions WHERE api_id = :api ORDER BY number")
                .bind("api", apiId)
                .map((rs, ctx) -> mapRevision(rs))
                .list();
    }

    /** Every revision deployed to the environment, across organizations: what its gateways serve. */
    public List<DeployedRevision> deployedTo(Environment environment) {
        return handle.createQuery("""
                        SELECT r.*, o.handle AS org_handle, a.lifecycle AS api_lifecycle
                        FROM deployments d
                        JOIN api_revisions r ON r.id = d.revision_id
                        JOIN apis a ON a.id = d.api_id
                        JOIN organizations o ON o.id = a.org_id
                        WHERE d.environment = :env
                        ORDER BY o.handle, a.context, a.version""")
                .bind("env", environment.name())
                .map((rs, ctx) -> new DeployedRevision(rs.getString("org_handle"),
                        Lifecycle.valueOf(rs.getString("api_lifecycle")), mapRevision(rs)))
                .list();
    }

    private static ApiRevision mapRevision(ResultSet rs) throws SQLException {
        return new ApiRevision(rs.getString("id"), rs.getString("api_id"), rs.getInt("number"),
                fromJson(rs.getString("definition")), Columns.instant(rs, "created_at"));
    }

    private static String toJson(Api api) {
        try {
            return JSON.writeValueAsString(api);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize API " + api.id(), e);
        }
    }

    private static Api fromJson(String json) {
        try {
            return JSON.readValue(json, Api.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored API revision is unreadable", e);
        }
    }
}
