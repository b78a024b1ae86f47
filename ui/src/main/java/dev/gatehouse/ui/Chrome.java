package dev.gatehouse.ui;

import java.util.List;

/**
 * What every page's frame shows around its content: the title, which area (console or portal) of which
 * organization, who is signed in, the CSRF token its forms carry, and the outcome of the last action.
 *
 * @param area        {@code console}, {@code portal}, or null outside both
 * @param path        this page's path, where a form's failure brings the user back to
 * @param notice      what the last action did, or null
 * @param error       why the last action was refused, or null
 * @param errorFields the fields the refusal named, as "field: message"
 */
public record Chrome(String title, String area, String org, String username, boolean publisher, boolean admin,
                     String csrf, String path, String notice, String error, List<String> errorFields) {

    public Chrome {
        errorFields = errorFields == null ? List.of() : List.copyOf(errorFields);
    }

    /** A page outside the console and portal, for someone who may not be signed in. */
    static Chrome plain(String title) {
        return new Chrome(title, null, null, null, false, false, null, "/", null, null, List.of());
    }

    public boolean signedIn() {
        return username != null;
    }

    /** A link within this area of this organization. */
    public String link(String relative) {
        return "/" + area + "/" + org + relative;
    }
}
