package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gatehouse.store.StoreConflictException.Kind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** How failures are told apart, for the forms that the store's own H2 and PostgreSQL set-up never produce. */
class ConflictsTest {

    @Test
    void h2ThatKeepsNamesInUpperCase_reportsTheConstraintInLowerCase() throws SQLException {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:conflicts-upper-case");
             Statement sql = h2.createStatement()) {
            sql.execute("CREATE TABLE parents (id INT CONSTRAINT parents_pkey PRIMARY KEY, handle VARCHAR(9), "
                    + "CONSTRAINT parents_handle_key UNIQUE (handle))");
            sql.execute("CREATE TABLE children (parent_id INT "
                    + "CONSTRAINT children_parent_id_fkey REFERENCES parents (id))");
            sql.execute("INSERT INTO parents VALUES (1, 'a')");
            sql.execute("INSERT INTO children VALUES (1)");

            assertConflict(failureOf(sql, "INSERT INTO parents VALUES (2, 'a')"), Kind.DUPLICATE,
                    "parents_handle_key");
            assertConflict(failureOf(sql, "INSERT INTO parents VALUES (1, 'b')"), Kind.DUPLICATE, "parents_pkey");
            assertConflict(failureOf(sql, "DELETE FROM parents"), Kind.REFERENCE, "children_parent_id_fkey");
            assertConflict(failureOf(sql, "INSERT INTO children VALUES (9)"), Kind.REFERENCE, "children_parent_id_fkey");
        }
    }

    @Test
    void h2MessageNamingTheConstraintsIndex_reportsTheConstraint() {
        SQLException duplicate = new SQLException("Unique index or primary key violation: "
                + "\"PUBLIC.ORGANIZATIONS_HANDLE_KEY_INDEX_8 ON PUBLIC.ORGANIZATIONS(HANDLE) VALUES 1\"", "23505");

        assertConflict(new RuntimeException(duplicate), Kind.DUPLICATE, "organizations_handle_key");
    }

    @Test
    void messageWithoutAConstraintName_reportsAnUnknownConstraint() {
        SQLException duplicate = new SQLException("duplicate", "23505");

        assertConflict(new RuntimeException(duplicate), Kind.DUPLICATE, "unknown");
    }

    @Test
    void violationsThatAreNotConflicts_passThroughAsTheyAre() {
        RuntimeException missingValue = new RuntimeException(new SQLException("NULL not allowed", "23502"));
        RuntimeException withoutState = new RuntimeException(new SQLException("connection reset"));
        RuntimeException notSql = new IllegalStateException("not a database failure");

        assertThat(Conflicts.translate(missingValue)).isSameAs(missingValue);
        assertThat(Conflicts.translate(withoutState)).isSameAs(withoutState);
        assertThat(Conflicts.translate(notSql)).isSameAs(notSql);
    }

    private static RuntimeException failureOf(Statement sql, String statement) {
        return new RuntimeException(catchThrowableOfType(SQLException.class, () -> sql.execute(statement)));
    }

    private static void assertConflict(RuntimeException failure, Kind kind, String constraint) {
        RuntimeException translated = Conflicts.translate(failure);

        assertThat(translated).isInstanceOfSatisfying(StoreConflictException.class, conflict -> {
            assertThat(conflict.kind()).isEqualTo(kind);
            assertThat(conflict.constraint()).isEqualTo(constraint);
            assertThat(conflict).hasCause(failure);
        });
    }
}
