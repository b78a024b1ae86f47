package dev.gatehouse.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.HashMap;
import java.util.Map;

/** The templates, compiled into classes at build time (jte's generate goal), rendered to HTML. */
final class Pages {

    private static final String TEMPLATE_PACKAGE = "dev.gatehouse.ui.templates";

    private final TemplateEngine engine =
            TemplateEngine.createPrecompiled(null, ContentType.Html, Pages.class.getClassLoader(), TEMPLATE_PACKAGE);

    String render(String template, Chrome chrome, Map<String, Object> params) {
        Map<String, Object> all = new HashMap<>(params);
        all.put("chrome", chrome);
        StringOutput output = new StringOutput();
        engine.render(template, all, output);
        return output.toString();
    }
}
