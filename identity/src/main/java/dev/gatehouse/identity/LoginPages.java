package dev.gatehouse.identity;

import java.util.Collection;

/**
 * The HTML of the authorization endpoint and the device verification page: the sign-in forms, the consent forms,
 * the device code form and the error page. Plain pages with no script and inline style only, so the
 * Content-Security-Policy the routes send can forbid everything else; every value from a request or the store is
 * escaped here.
 */
final class LoginPages {

    private LoginPages() {
    }

    static String login(String action, String appName, String request, String csrf, String error) {
        return signIn(action, "to continue to <b>" + escape(appName) + "</b>", "request", request, csrf, error);
    }

    /**
     * A sign-in form: {@code purpose} is HTML already escaped; the request it continues travels in the hidden field
     * {@code carried}.
     */
    private static String signIn(String action, String purpose, String carried, String carriedValue, String csrf,
                                 String error) {
        StringBuilder html = head("Sign in");
        html.append("<h1>Sign in</h1><p>").append(purpose).append("</p>");
        if (error != null) {
            html.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>");
        }
        html.append("<form method=\"post\" action=\"").append(escape(action)).append("\">");
        hidden(html, carried, carriedValue);
        hidden(html, "csrf", csrf);
        hidden(html, "action", "login");
        html.append("<label>Username <input name=\"username\" autocomplete=\"username\" required autofocus></label>")
                .append("<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\""
                        + " required></label>")
                .append("<button type=\"submit\">Sign in</button></form>");
        return tail(html);
    }

    static String consent(String action, String appName, Collection<String> newScopes, String request, String csrf,
                          String ticket) {
        StringBuilder html = head("Allow access");
        html.append("<h1>Allow access</h1><p><b>").append(escape(appName))
                .append("</b> asks for these permissions:</p><ul>");
        newScopes.forEach(scope -> html.append("<li><code>").append(escape(scope)).append("</code></li>"));
        html.append("</ul><form method=\"post\" action=\"").append(escape(action)).append("\">");
        hidden(html, "request", request);
        hidden(html, "csrf", csrf);
        hidden(html, "ticket", ticket);
        html.append("<button type=\"submit\" name=\"action\" value=\"allow\">Allow</button> ")
                .append("<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form>");
        return tail(html);
    }

    /** The device verification page (RFC 8628 section 3.3): the user types the code their device shows. */
    static String deviceCode(String action, String code, String csrf, String error) {
        StringBuilder html = head("Connect a device");
        html.append("<h1>Connect a device</h1><p>Enter the code shown on your device.</p>");
        if (error != null) {
            html.append("<p class=\"error\" role=\"alert\">").append(escape(error)).append("</p>");
        }
        html.append("<form method=\"post\" action=\"").append(escape(action)).append("\">");
        hidden(html, "csrf", csrf);
        hidden(html, "action", "code");
        html.append("<label>Code <input name=\"code\" value=\"").append(escape(code))
                .append("\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\""
                        + " required autofocus></label>")
                .append("<button type=\"submit\">Continue</button></form>");
        return tail(html);
    }

    static String deviceLogin(String action, String appName, String code, String csrf, String error) {
        return signIn(action, "to connect <b>" + escape(appName) + "</b> with the code <b>" + escape(code) + "</b>",
                "code", code, csrf, error);
    }

    /**
     * Asks the user to approve a device, always (RFC 8628 section 5.4): whoever sent them the code may be the one
     * waiting for the tokens, so the page names the application and the code and warns about it.
     */
    static String deviceConsent(String action, String appName, String code, Collection<String> scopes, String csrf,
                                String ticket) {
        StringBuilder html = head("Allow access");
        html.append("<h1>Allow access</h1><p><b>").append(escape(appName))
                .append("</b> on the device showing <b>").append(escape(code)).append("</b> asks ");
        if (scopes.isEmpty()) {
            html.append("to act as you, with no further permissions.</p>");
        } else {
            html.append("for these permissions:</p><ul>");
            scopes.forEach(scope -> html.append("<li><code>").append(escape(scope)).append("</code></li>"));
            html.append("</ul>");
        }
        html.append("<p>Allow only if you started this on a device of your own.</p>")
                .append("<form method=\"post\" action=\"").append(escape(action)).append("\">");
        hidden(html, "code", code);
        hidden(html, "csrf", csrf);
        hidden(html, "ticket", ticket);
        html.append("<button type=\"submit\" name=\"action\" value=\"allow\">Allow</button> ")
                .append("<button type=\"submit\" name=\"action\" value=\"deny\">Deny</button></form>");
        return tail(html);
    }

    static String deviceDone(String title, String message) {
        StringBuilder html = head(title);
        html.append("<h1>").append(escape(title)).append("</h1><p>").append(escape(message)).append("</p>");
        return tail(html);
    }

    static String signedOut(String message) {
        StringBuilder html = head("Signed out");
        html.append("<h1>Signed out</h1><p>").append(escape(message)).append("</p>");
        return tail(html);
    }

    static String error(String message) {
        StringBuilder html = head("Sign-in error");
        html.append("<h1>Sign-in error</h1><p class=\"error\" role=\"alert\">").append(escape(message)).append("</p>");
        return tail(html);
    }

    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void hidden(StringBuilder html, String name, String value) {
        html.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value))
                .append("\">");
    }

    private static StringBuilder head(String title) {
        return new StringBuilder(2048).append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(escape(title)).append(" · Gatehouse</title><style>")
                .append("body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}")
                .append("label{display:block;margin:.75rem 0}input{display:block;width:100%;padding:.4rem}")
                .append("button{padding:.5rem 1rem;margin-top:.75rem}.error{color:#b00020}")
                .append("</style></head><body>");
    }

    private static String tail(StringBuilder html) {
        return html.append("</body></html>").toString();
    }
}
