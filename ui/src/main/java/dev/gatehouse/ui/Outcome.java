package dev.gatehouse.ui;

import java.util.Map;

/** What a page or a form action answers with. */
sealed interface Outcome {

    /** A template rendered in the page frame; {@code params} are the template's own, beside {@code chrome}. */
    record Page(int status, String title, String template, Map<String, Object> params) implements Outcome {
    }

    /** Post/redirect/get: a 303 to a page of this server, with what to tell the user there. */
    record Redirect(String location, String notice) implements Outcome {
    }

    /** A body as it is, for the documents and relayed calls pages load by script. */
    record Raw(int status, String contentType, byte[] body, Map<String, String> headers) implements Outcome {
    }

    static Page page(String title, String template, Map<String, Object> params) {
        return new Page(200, title, template, params);
    }

    static Redirect redirect(String location, String notice) {
        return new Redirect(location, notice);
    }
}
