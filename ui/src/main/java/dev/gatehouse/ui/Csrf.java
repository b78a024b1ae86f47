package dev.gatehouse.ui;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Cross-site request forgery protection by a synchronizer token (OWASP): each session holds a random token that
 * every form carries in the field {@value #FIELD} (or htmx in the header {@value #HEADER}); a state-changing request
 * without the session's token is refused, compared in constant time. The session cookie is also SameSite=Lax.
 */
final class Csrf {

    static final String FIELD = "csrf";
    static final String HEADER = "X-CSRF-Token";
    private static final String SESSION_KEY = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Csrf() {
    }

    /** The session's token, made on first use. */
    static String token(Session session) {
        String token = session.get(SESSION_KEY);
        if (token == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.put(SESSION_KEY, token);
        }
        return token;
    }

    /** Whether a state-changing request carries its session's token. */
    static boolean valid(RoutingContext ctx) {
        String expected = ctx.session() == null ? null : ctx.session().get(SESSION_KEY);
        String given = ctx.request().getHeader(HEADER);
        if (given == null) {
            given = ctx.request().getFormAttribute(FIELD);
        }
        return expected != null && given != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
