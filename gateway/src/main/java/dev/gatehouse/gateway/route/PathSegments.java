package dev.gatehouse.gateway.route;

/** A request path cut into its segments, remembering where each starts so the tail can be cut off unchanged. */
final class PathSegments {

    private final String path;
    private final String[] segments;
    private final int[] starts;
    private final int count;

    private PathSegments(String path, String[] segments, int[] starts, int count) {
        this.path = path;
        this.segments = segments;
        this.starts = starts;
        this.count = count;
    }

    /**
     * Splits a raw request path; null when the path cannot be routed: not absolute, an empty segment other than a
     * single trailing slash, a dot-segment, or more than {@link RouteTable#MAX_SEGMENTS} segments.
     */
    static PathSegments split(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] segments = new String[8];
        int[] starts = new int[8];
        int count = 0;
        int start = 1;
        int length = path.length();
        while (start < length) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? length : slash;
            if (end == start) {
                return null;
            }
            String segment = path.substring(start, end);
            if (isDotSegment(segment) || count == RouteTable.MAX_SEGMENTS) {
                return null;
            }
            if (count == segments.length) {
                segments = java.util.Arrays.copyOf(segments, count * 2);
                starts = java.util.Arrays.copyOf(starts, count * 2);
            }
            segments[count] = segment;
            starts[count] = start;
            count++;
            start = end + 1;
        }
        return new PathSegments(path, segments, starts, count);
    }

    int count() {
        return count;
    }

    String segment(int index) {
        return segments[index];
    }

    /** The raw path from the segment at {@code index} on, with its leading slash; "" or "/" past the last one. */
    String remainder(int index) {
        if (index < count) {
            return path.substring(starts[index] - 1);
        }
        return path.endsWith("/") && count > 0 ? "/" : "";
    }

    private static boolean isDotSegment(String segment) {
        String decoded = segment.replace("%2e", ".").replace("%2E", ".");
        return decoded.equals(".") || decoded.equals("..");
    }
}
