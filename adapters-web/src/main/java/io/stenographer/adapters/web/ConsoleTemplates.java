package io.stenographer.adapters.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The templates every page shares (templates/*.html); each page keeps its own beside its resource. */
@CheckedTemplate(requireTypeSafeExpressions = false)
public final class ConsoleTemplates {

    private ConsoleTemplates() {
    }

    public static native TemplateInstance error(ConsolePage.Chrome chrome, ConsoleProblem problem);
}
