package dev.gatehouse.store;

import dev.gatehouse.model.Scopes;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

/** Conversions between Java values and the portable column types of the schema. */
final class Columns {

    private Columns() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Both databases keep microseconds; finer digits are cut here rather than rounded differently by each. */
    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /** Sets of scope-like tokens are kept space-separated, as OAuth writes them. */
    static String tokens(Set<String> values) {
        return Scopes.join(values);
    }

    static Set<String> tokens(ResultSet rs, String column) throws SQLException {
        return Scopes.parse(rs.getString(column));
    }
}
