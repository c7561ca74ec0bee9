package io.stenographer.adapters.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the extension checked at build time, checked here: every template parses, and values are escaped. */
class ConsoleTemplatesTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");

    @Test
    void everyTemplateParses() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            names = files.filter(f -> f.toString().endsWith(".html"))
                    .map(f -> TEMPLATES.relativize(f).toString().replace('\\', '/').replaceFirst("\\.html$", ""))
                    .toList();
        }
        assertThat(names).contains("layout", "error", "ConsoleEventsResource/search", "ConsoleEventsResource/event");
        names.forEach(name -> assertThat(ConsoleTemplates.of(name)).as(name).isNotNull());
    }

    @Test
    void theErrorPageEscapesWhatItShowsAndKeepsTheLayout() {
        ConsolePage.Chrome chrome = new ConsolePage.Chrome("<b>dana</b>", "acme", List.of("acme", "globex"),
                "search", "token-123");
        String html = ConsoleTemplates.error(chrome,
                new ConsoleProblem(400, "The request is not valid", "actor <script>alert(1)</script>")).render();

        assertThat(html).contains("actor &lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert")
                .contains("&lt;b&gt;dana&lt;/b&gt;").contains("<option value=\"globex\"")
                .contains("<title>The request is not valid · Stenographer</title>")
                .doesNotContain("onclick").doesNotContain("style=");
    }

    @Test
    void theEventPageEmbedsItsDataBlockRawAndEverythingElseEscaped() {
        ConsolePage.Chrome chrome = new ConsolePage.Chrome("dana", "acme", List.of("acme"), "search", "t");
        ConsoleEventsResource.EventView view = new ConsoleEventsResource.EventView(
                "01900000-0000-7000-8000-000000000001", "acme", "stenographer.event/v1", "eyJhIjoxfQ==", "ab12", 3L,
                4L, "cm9vdA==", List.of("aGFzaA=="), "note </script><script>x()</script>\n", "key+1+AQ",
                java.util.Map.of("actor.displayName", "<i>Dana</i>"));

        String html = ConsoleTemplates.of("ConsoleEventsResource/event").data("chrome", chrome).data("event", view)
                .render();

        assertThat(html).contains("<script type=\"application/json\" id=\"event-data\">{\"")
                .as("no value can close the data block").doesNotContain("</script><script>x()")
                .contains("\\u003c/script>").contains("&lt;i&gt;Dana&lt;/i&gt;");
    }

    @Test
    void anUnknownTemplateOrPropertyFailsInsteadOfRenderingNothing() {
        assertThatThrownBy(() -> ConsoleTemplates.of("no-such-page")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConsoleTemplates.of("error").data("chrome", "not a chrome").render())
                .isInstanceOf(RuntimeException.class);
    }
}
