package dev.gatehouse.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/** OAuth 2.0 scope values (RFC 6749 section 3.3) and Gatehouse's fully qualified permission scopes. */
public final class Scopes {

    /** A scope-token: printable ASCII without space, double quote or backslash. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    private Scopes() {
    }

    /** The fully qualified scope of an API permission: {@code urn:{org}:{api}:{permission}}. */
    public static String qualified(String orgHandle, String apiHandle, String permission) {
        return "urn:" + orgHandle + ":" + apiHandle + ":" + permission;
    }

    public static boolean isScopeToken(String value) {
        return value != null && SCOPE_TOKEN.matcher(value).matches();
    }

    /** Splits a space-separated scope string into an ordered set; null or blank gives an empty set. */
    public static Set<String> parse(String spaceSeparated) {
        if (spaceSeparated == null || spaceSeparated.isBlank()) {
            return Set.of();
        }
        return Set.copyOf(Arrays.asList(spaceSeparated.trim().split(" +")));
    }

    public static String join(Collection<String> scopes) {
        return String.join(" ", scopes.stream().sorted().toList());
    }
}
