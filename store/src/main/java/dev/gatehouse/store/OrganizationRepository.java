package dev.gatehouse.store;

import dev.gatehouse.model.Organization;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class OrganizationRepository {

    private final Handle handle;
    private final Clock clock;

    OrganizationRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Organization create(String orgHandle, String name) {
        Organization org = new Organization(Columns.newId(), orgHandle, name, clock.instant());
        handle.createUpdate("INSERT INTO organizations (id, handle, name, created_at) VALUES (:id, :handle, :name, :at)")
                .bind("id", org.id())
                .bind("handle", org.handle())
                .bind("name", org.name())
                .bind("at", Columns.timestamp(org.createdAt()))
                .execute();
        return org;
    }

    public Optional<Organization> findByHandle(String orgHandle) {
        return handle.createQuery("SELECT * FROM organizations WHERE handle = :handle")
                .bind("handle", orgHandle)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public Optional<Organization> findById(String id) {
        return handle.createQuery("SELECT * FROM organizations WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<Organization> list() {
        return handle.createQuery("SELECT * FROM organizations ORDER BY handle").map((rs, ctx) -> map(rs)).list();
    }

    public boolean isEmpty() {
        return handle.createQuery("SELECT COUNT(*) FROM organizations").mapTo(Long.class).one() == 0;
    }

    private static Organization map(ResultSet rs) throws SQLException {
        return new Organization(rs.getString("id"), rs.getString("handle"), rs.getString("name"),
                Columns.instant(rs, "created_at"));
    }
}
