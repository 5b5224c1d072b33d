package io.breakwater.agent.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** This command's own jar, which is also the agent it loads, and the places beside it to look for the exporter. */
final class AgentJar {
    private AgentJar() {}

    static Path path() throws CliException {
        try {
            return Path.of(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            throw CliException.failure("cannot tell where breakwater-agent.jar is: " + CliException.firstLine(e));
        }
    }

    /**
     * Where to look for a file that ships beside the agent: first the jar's own folder (an unpacked
     * distribution), then {@code <project>/<projectRelative>} when the jar is {@code agent/target/} of a build.
     */
    static List<Path> candidates(String besideJar, String projectRelative) throws CliException {
        Path folder = path().getParent();
        List<Path> candidates = new ArrayList<>();
        candidates.add(folder.resolve(besideJar));
        Path project = folder.getParent() == null ? null : folder.getParent().getParent();
        if (project != null) {
            candidates.add(project.resolve(projectRelative));
        }
        return candidates;
    }

    static Path firstExisting(List<Path> candidates) {
        return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
    }
}
