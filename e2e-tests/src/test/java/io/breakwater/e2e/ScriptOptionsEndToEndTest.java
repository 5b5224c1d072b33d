package io.breakwater.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The benchmark and soak scripts given a wrong option or setting: one line and exit 2 before anything is built or
 * started (a typo once started the hour-long soak), and --help prints what they do without running anything.
 */
class ScriptOptionsEndToEndTest {
    private static final Path ROOT = SimulatorJvm.AGENT_JAR.getParent().getParent().getParent();

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            e2e-tests/soak.sh       | --nobuild  | ''                  | soak.sh: unknown option '--nobuild'
            e2e-tests/soak.sh       | --no-build | MINUTES=ten         | soak.sh: MINUTES must be a whole number from 1 to 1440 (got 'ten')
            e2e-tests/soak.sh       | --no-build | FAULT_LENGTH=300    | soak.sh: FAULT_LENGTH (300 s) must be shorter than FAULT_EVERY (180 s)
            benchmarks/startup.sh   | --help=no  | ''                  | startup.sh: unknown option '--help=no'
            benchmarks/startup.sh   | --no-build | RUNS=0              | startup.sh: RUNS must be a whole number from 1 to 1000 (got '0')
            benchmarks/scale.sh     | --no-build | SIZES=10 x          | scale.sh: SIZES must list charge-point counts separated by spaces
            benchmarks/profile.sh   | --no-build | CHARGE_POINTS=-5    | profile.sh: CHARGE_POINTS must be a whole number from 1 to 10000 (got '-5')
            e2e-tests/outage-1000.sh| ''         | OUTAGE_CHARGE_POINTS=many | outage-1000: OUTAGE_CHARGE_POINTS must be a whole number
            benchmarks/run.sh       | --nobuild  | ''                  | run.sh: unknown option '--nobuild'
            """)
    void aWrongOptionOrSettingIsOneLineAndExitTwo(String script, String option, String setting, String message)
            throws Exception {
        Result result = run(script, option, setting);
        assertThat(result.output.lines()).as(result.output).hasSize(1).first().asString().startsWith(message);
        assertThat(result.exitCode).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"e2e-tests/soak.sh", "benchmarks/startup.sh", "benchmarks/scale.sh", "benchmarks/profile.sh",
        "benchmarks/run.sh", "e2e-tests/outage-1000.sh"})
    void helpSaysWhatTheScriptDoesAndRunsNothing(String script) throws Exception {
        Result result = run(script, "--help", "");
        assertThat(result.exitCode).isZero();
        assertThat(result.output).as("the header comment, without '#'").isNotBlank()
                .doesNotContain("#!").doesNotContain("set -euo").doesNotStartWith("#");
        assertThat(result.output.lines()).noneMatch(line -> line.startsWith("# "));
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String script, String option, String setting) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().addAll(List.of("bash", ROOT.resolve(script).toString()));
        if (!option.isEmpty()) {
            builder.command().add(option);
        }
        if (!setting.isEmpty()) {
            String[] pair = setting.split("=", 2);
            builder.environment().put(pair[0], pair[1]);
        }
        // mvn, java and redis-server that leave a mark: none of them may run for these command lines.
        Path bin = Files.createTempDirectory("script-options");
        Path ran = bin.resolve("ran");
        for (String tool : new String[] {"mvn", "java", "redis-server"}) {
            Path stub = Files.writeString(bin.resolve(tool), "#!/bin/sh\necho " + tool + " >> " + ran + "\nexit 1\n");
            stub.toFile().setExecutable(true);
        }
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(script + " ended within 30 s").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ran).as("nothing built or started").doesNotExist();
        return new Result(process.exitValue(), output);
    }
}
