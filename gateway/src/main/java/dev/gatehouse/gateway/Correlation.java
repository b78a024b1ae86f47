package dev.gatehouse.gateway;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The identifiers that tie one call together across the gateway, its backend and its caller: the request ID
 * ({@code X-Request-ID}) and the W3C trace context ({@code traceparent}). A caller's value is kept when it is well
 * formed and replaced by a fresh one otherwise, so a backend always receives exactly one of each.
 */
final class Correlation {

    static final String REQUEST_ID = "X-Request-ID";
    static final String TRACEPARENT = "traceparent";

    private static final int MAX_REQUEST_ID_LENGTH = 128;
    private static final int TRACEPARENT_LENGTH = 55;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Correlation() {
    }

    /**
     * The caller's request ID when it has 1 to 128 characters among letters, digits and {@code -._:/+=}; otherwise
     * 32 fresh random hex digits.
     */
    static String requestId(String offered) {
        return isSaneRequestId(offered) ? offered : randomHex(32);
    }

    /**
     * The caller's {@code traceparent} when it is a well-formed version-00 header; otherwise a new trace, marked
     * sampled so that the backend's tracing records it.
     */
    static String traceparent(String offered) {
        if (isTraceparent(offered)) {
            return offered;
        }
        return "00-" + randomHex(32) + "-" + randomHex(16) + "-01";
    }

    /** The trace ID of a {@code traceparent} this class returned. */
    static String traceId(String traceparent) {
        return traceparent.substring(3, 35);
    }

    private static boolean isSaneRequestId(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_REQUEST_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == ':' || c == '/' || c == '+' || c == '=';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    /** {@code 00-<32 hex trace ID, not all zero>-<16 hex parent ID, not all zero>-<2 hex flags>}, lower case. */
    private static boolean isTraceparent(String value) {
        if (value == null || value.length() != TRACEPARENT_LENGTH || !value.startsWith("00-")
                || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return false;
        }
        return isHex(value, 3, 35) && isHex(value, 36, 52) && isHex(value, 53, 55)
                && !isZero(value, 3, 35) && !isZero(value, 36, 52);
    }

    private static boolean isHex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** Random hex digits, never all zero: IDs, not secrets, so the fast thread-local generator is enough. */
    private static String randomHex(int digits) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] hex = new char[digits];
        long bits = 0;
        for (int i = 0; i < digits; i++) {
            if (i % 16 == 0) {
                bits = random.nextLong();
            }
            hex[i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        hex[digits - 1] = HEX[1 + random.nextInt(15)];
        return new String(hex);
    }
}
