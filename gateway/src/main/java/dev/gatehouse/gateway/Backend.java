package dev.gatehouse.gateway;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where an API's calls go, parsed once per snapshot from its backend URL.
 *
 * @param basePath the backend URL's path without trailing slash ("" for none); the resource path is appended
 * @param usable   false when the backend URL could not be parsed; calls then get 502
 */
record Backend(String url, boolean ssl, String host, int port, String basePath, boolean usable) {

    static Backend parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return unusable(url);
            }
            boolean ssl = scheme.equals("https");
            int port = uri.getPort() >= 0 ? uri.getPort() : ssl ? 443 : 80;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String host = uri.getHost();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            return new Backend(url, ssl, host, port, path, true);
        } catch (URISyntaxException e) {
            return unusable(url);
        }
    }

    private static Backend unusable(String url) {
        return new Backend(url, false, "", 0, "", false);
    }

    /** The request URI at the backend: its base path, the resource path, and the caller's query string. */
    String requestUri(String resourcePath, String query) {
        String path = basePath + resourcePath;
        if (path.isEmpty()) {
            path = "/";
        }
        return query == null ? path : path + "?" + query;
    }
}
