package dev.gatehouse.store;

/**
 * A write that the database refused because of a constraint: a duplicate of a unique value, or a row that
 * others still refer to. The transaction was rolled back; nothing was written.
 */
public final class StoreConflictException extends RuntimeException {

    public enum Kind {
        /** A unique constraint: the value is taken. */
        DUPLICATE,
        /** A foreign key: the row is still in use, or the row referred to does not exist. */
        REFERENCE
    }

    private final Kind kind;
    private final String constraint;

    StoreConflictException(Kind kind, String constraint, Throwable cause) {
        super(kind + " on " + constraint, cause);
        this.kind = kind;
        this.constraint = constraint;
    }

    public Kind kind() {
        return kind;
    }

    /** The constraint's name in lower case, for example {@code credentials_client_id_key}. */
    public String constraint() {
        return constraint;
    }
}
