package dev.gatehouse.gateway.route;

import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's route table: which API resource, if any, serves a method and a request path.
 *
 * <p><b>What it guarantees.</b> Every routable API of a snapshot is reachable under
 * {@code /{orgHandle}{context}/{version}{pathTemplate}}, and nothing else is. A template segment written
 * {@code {name}} matches exactly one non-empty path segment; every other segment matches only itself, case
 * sensitively, in its raw (percent-encoded) form. Where a literal and a parameter could both match, the literal
 * wins; if the literal branch leads nowhere for this path, the parameter branch is tried, so {@code /orders/new}
 * goes to {@code GET /orders/new} and {@code /orders/42} still goes to {@code GET /orders/{id}}. A path that some
 * resource has, but not with the request's method, yields {@link RouteMatch.MethodNotAllowed} with every method
 * that path supports. One trailing slash is ignored; empty segments elsewhere ({@code //}) and the dot-segments
 * {@code .} and {@code ..} (also percent-encoded) match nothing, so a call can never climb out of an API's base path
 * on the backend. Retired APIs are not in the table at all. The organization handle is the first segment, so one
 * organization's calls can never reach another organization's APIs.
 *
 * <p><b>Why it is built so.</b> The table is compiled once per snapshot into an immutable trie of path segments
 * (base path segments first, then template segments), each node holding a map of literal children, at most one
 * parameter child and the resources that end there, keyed by method. A lookup walks the request's segments from
 * the root; no regular expression runs and no route list is scanned. Because the table is immutable, a new
 * snapshot swaps it whole and requests in flight keep the table they started with.
 *
 * <p><b>What it costs.</b> Compiling is linear in the total number of template segments. A lookup splits the
 * path once and does one hash lookup per segment; backtracking from a dead literal branch to the parameter branch
 * can visit more nodes, but each trie node at most once, so a lookup never costs more than the size of the table.
 * Paths deeper than {@value #MAX_SEGMENTS} segments are not routed.
 */
public final class RouteTable {

    static final int MAX_SEGMENTS = 64;

    private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);
    private static final RouteMatch NOT_FOUND = new RouteMatch.NotFound();

    private final Node root;

    private RouteTable(Node root) {
        this.root = root;
    }

    /** Compiles the routable APIs; on duplicates (same method and path shape), the first one listed wins. */
    public static RouteTable compile(Collection<RoutedApi> apis) {
        NodeBuilder root = new NodeBuilder();
        for (RoutedApi api : apis) {
            if (!api.lifecycle().routable()) {
                continue;
            }
            List<String> base = new ArrayList<>();
            base.add(api.orgHandle());
            base.addAll(templateSegments(api.context()));
            base.add(api.version());
            for (RouteResource resource : api.resources()) {
                NodeBuilder node = root;
                for (String literal : base) {
                    node = node.literal(literal);
                }
                for (String segment : templateSegments(resource.pathTemplate())) {
                    node = isParameter(segment) ? node.parameter() : node.literal(segment);
                }
                String method = resource.method().toUpperCase(Locale.ROOT);
                Endpoint endpoint = new Endpoint(api, resource, resource.method() + " " + resource.pathTemplate(), base.size());
                Endpoint previous = node.endpoints.putIfAbsent(method, endpoint);
                if (previous != null) {
                    LOG.warn("{} {}{} of API {} is shadowed by the same route of API {}", method, api.basePath(),
                            resource.pathTemplate(), api.apiId(), previous.api().apiId());
                }
            }
        }
        return new RouteTable(root.build());
    }

    /**
     * Finds the resource that serves {@code method} on {@code rawPath}.
     *
     * @param rawPath the request's path without query string, as received (not percent-decoded)
     */
    public RouteMatch lookup(String method, String rawPath) {
        PathSegments path = PathSegments.split(rawPath);
        if (path == null) {
            return NOT_FOUND;
        }
        Walk walk = new Walk(path, method);
        if (walk.visit(root, 0)) {
            Endpoint endpoint = walk.hit;
            return new RouteMatch.Found(endpoint.api(), endpoint.resource(), endpoint.name(),
                    path.remainder(endpoint.baseSegments()));
        }
        if (walk.allowed != null) {
            return new RouteMatch.MethodNotAllowed(walk.allowed);
        }
        return NOT_FOUND;
    }

    private static boolean isParameter(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    private static List<String> templateSegments(String template) {
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (start <= template.length()) {
            int slash = template.indexOf('/', start);
            int end = slash < 0 ? template.length() : slash;
            if (end > start) {
                segments.add(template.substring(start, end));
            }
            start = end + 1;
        }
        return segments;
    }

    private record Endpoint(RoutedApi api, RouteResource resource, String name, int baseSegments) {
    }

    /** An immutable trie node. */
    private record Node(Map<String, Node> literals, Node parameter, Map<String, Endpoint> endpoints) {
    }

    private static final class NodeBuilder {
        private final Map<String, NodeBuilder> literals = new HashMap<>();
        private final Map<String, Endpoint> endpoints = new HashMap<>();
        private NodeBuilder parameter;

        NodeBuilder literal(String segment) {
            return literals.computeIfAbsent(segment, s -> new NodeBuilder());
        }

        NodeBuilder parameter() {
            if (parameter == null) {
                parameter = new NodeBuilder();
            }
            return parameter;
        }

        Node build() {
            Map<String, Node> children = new HashMap<>();
            literals.forEach((segment, child) -> children.put(segment, child.build()));
            return new Node(Map.copyOf(children), parameter == null ? null : parameter.build(),
                    Map.copyOf(endpoints));
        }
    }

    /** One depth-first walk: literal children first, then the parameter child. */
    private static final class Walk {
        private final PathSegments path;
        private final String method;
        private Endpoint hit;
        private TreeSet<String> allowed;

        Walk(PathSegments path, String method) {
            this.path = path;
            this.method = method;
        }

        boolean visit(Node node, int depth) {
            if (depth == path.count()) {
                if (node.endpoints().isEmpty()) {
                    return false;
                }
                Endpoint endpoint = node.endpoints().get(method);
                if (endpoint != null) {
                    hit = endpoint;
                    return true;
                }
                if (allowed == null) {
                    allowed = new TreeSet<>();
                }
                allowed.addAll(node.endpoints().keySet());
                return false;
            }
            Node literal = node.literals().get(path.segment(depth));
            if (literal != null && visit(literal, depth + 1)) {
                return true;
            }
            return node.parameter() != null && visit(node.parameter(), depth + 1);
        }
    }
}
