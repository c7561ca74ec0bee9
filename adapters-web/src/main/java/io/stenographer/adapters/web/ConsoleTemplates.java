package io.stenographer.adapters.web;

import io.quarkus.qute.Engine;
import io.quarkus.qute.HtmlEscaper;
import io.quarkus.qute.ReflectionValueResolver;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.TemplateLocator.TemplateLocation;
import io.quarkus.qute.ValueResolvers;
import io.quarkus.qute.Variant;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The console's Qute engine: templates under {@code templates/} on the class path, every value HTML-escaped unless a
 * template says {@code .raw}, strict rendering (an unknown property fails the page instead of printing nothing).
 *
 * <p>The Qute library rather than the quarkus-qute extension: the extension makes the dev run (README command 1)
 * fetch {@code io.quarkus.qute:qute-debug:3.33.2}, which Maven Central does not serve here, so the dev run could not
 * start. The cost is checking templates in a test ({@code ConsoleTemplatesTest}) instead of at build time.
 */
public final class ConsoleTemplates {

    private static final Variant HTML = new Variant(Locale.ROOT, StandardCharsets.UTF_8, Variant.TEXT_HTML);
    private static final Engine ENGINE = Engine.builder()
            .addDefaults()
            .addValueResolver(ValueResolvers.rawResolver())
            .addValueResolver(ValueResolvers.numberValueResolver())
            .addValueResolver(ValueResolvers.equalsResolver())
            .addValueResolver(new ReflectionValueResolver())
            .addResultMapper(new HtmlEscaper(List.of(Variant.TEXT_HTML)))
            .addLocator(ConsoleTemplates::locate)
            .removeStandaloneLines(true)
            .strictRendering(true)
            .build();

    private ConsoleTemplates() {
    }

    /** A fresh instance of {@code templates/<name>.html}; fails if there is no such template. */
    public static TemplateInstance of(String name) {
        Template template = ENGINE.getTemplate(name);
        if (template == null) {
            throw new IllegalStateException("no console template " + name);
        }
        return template.instance();
    }

    public static TemplateInstance error(ConsolePage.Chrome chrome, ConsoleProblem problem) {
        return of("error").data("chrome", chrome).data("problem", problem);
    }

    private static Optional<TemplateLocation> locate(String id) {
        String path = "templates/" + id + (id.endsWith(".html") ? "" : ".html");
        if (ConsoleTemplates.class.getClassLoader().getResource(path) == null) {
            return Optional.empty();
        }
        return Optional.of(new TemplateLocation() {
            @Override
            public Reader read() {
                InputStream in = ConsoleTemplates.class.getClassLoader().getResourceAsStream(path);
                return new InputStreamReader(in, StandardCharsets.UTF_8);
            }

            @Override
            public Optional<Variant> getVariant() {
                return Optional.of(HTML);
            }
        });
    }
}
