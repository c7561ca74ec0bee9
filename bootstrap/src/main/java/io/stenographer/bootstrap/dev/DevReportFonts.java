package io.stenographer.bootstrap.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The embedded default run installs the PDF report fonts when they are missing, with the project's own script
 * (deploy/fonts/ensure-report-fonts.sh: Debian's packages, as root), so the README's first command is all a fresh
 * machine needs. Dev build profile only: a production service never installs packages; it fails PDF reports naming
 * the command instead.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevReportFonts {

    private static final Logger LOG = Logger.getLogger(DevReportFonts.class);
    private static final String SCRIPT = "deploy/fonts/ensure-report-fonts.sh";

    private final Path fonts;

    DevReportFonts(@ConfigProperty(name = "stenographer.reports.fonts-dir") Path fonts) {
        this.fonts = fonts;
    }

    void ensure(@Observes StartupEvent startup) {
        Path script = script();
        if (script == null) {
            LOG.warnf("cannot find %s from %s; PDF reports need the fonts it installs", SCRIPT,
                    Path.of("").toAbsolutePath());
            return;
        }
        Thread installer = new Thread(() -> run(script), "stenographer-dev-report-fonts");
        installer.setDaemon(true);
        installer.start();
    }

    private void run(Path script) {
        try {
            Process process = new ProcessBuilder("bash", script.toString(), fonts.toString()).redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() == 0) {
                if (!output.isEmpty()) {
                    LOG.info(output);
                }
            } else {
                LOG.warn(output);
            }
        } catch (IOException e) {
            LOG.warnf("could not run %s: %s", script, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The project's script: from the module directory (quarkus:dev) up to the project root (the one with .mvn). */
    private static Path script() {
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            if (Files.isRegularFile(base.resolve(SCRIPT))) {
                return base.resolve(SCRIPT);
            }
            if (Files.isDirectory(base.resolve(".mvn"))) {
                return null;
            }
        }
        return null;
    }
}
