package dev.gatehouse.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** Tells the constraint violations that are conflicts, and the constraint each broke, alike on both databases. */
final class Conflicts {

    /**
     * The SQL states of the constraint violations that are conflicts. PostgreSQL reports every broken foreign
     * key as 23503; H2 uses 23503 for a row still referred to and 23506 for a reference to a missing row. Other
     * violations (such as 23502, a missing value) are programming errors and are left as they are.
     */
    private static final Map<String, StoreConflictException.Kind> KINDS = Map.of(
            "23505", StoreConflictException.Kind.DUPLICATE,
            "23503", StoreConflictException.Kind.REFERENCE,
            "23506", StoreConflictException.Kind.REFERENCE);

    /**
     * H2 names the constraint only in its message, first within the quotes: {@code "public.apis_context_key
     * INDEX ..."} for a unique one and {@code "credentials_idp_id_fkey: public.credentials ..."} for a foreign
     * key, in upper case unless the database folds names to lower case. Other H2 versions name the constraint's
     * index instead: the constraint's name with an {@code _INDEX_n} suffix, which is left out.
     */
    private static final Pattern H2_CONSTRAINT = Pattern.compile("^[^\"]*\"(?:\\w+\\.)?(\\w+?)(?:_INDEX_\\w+)?[ :]");

    private Conflicts() {
    }

    /** The conflict that {@code failure} reports, or {@code failure} itself when it reports none. */
    static RuntimeException translate(RuntimeException failure) {
        SQLException sql = sqlCause(failure);
        if (sql == null || sql.getSQLState() == null || !KINDS.containsKey(sql.getSQLState())) {
            return failure;
        }
        return new StoreConflictException(KINDS.get(sql.getSQLState()), constraintName(sql), failure);
    }

    private static SQLException sqlCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
        }
        return null;
    }

    private static String constraintName(SQLException sql) {
        if (sql instanceof PSQLException postgres) {
            ServerErrorMessage error = postgres.getServerErrorMessage();
            if (error != null && error.getConstraint() != null) {
                return error.getConstraint();
            }
        }
        Matcher h2 = H2_CONSTRAINT.matcher(String.valueOf(sql.getMessage()));
        return h2.find() ? h2.group(1).toLowerCase(Locale.ROOT) : "unknown";
    }
}
