package io.breakwater.simulator.chargepoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FleetFileTest {

    @Test
    void theShippedExampleIsValid() throws Exception {
        Fleet fleet = FleetFile.load(Path.of("fleet-example.json"));

        assertThat(fleet.size()).isEqualTo(2 + 20 + 4 + 1);
        ChargePointSpec depot = fleet.chargePoints().get(0);
        assertThat(depot.id()).isEqualTo("DEPOT-01");
        assertThat(depot.connectors()).isEqualTo(4);
        assertThat(depot.idTags()).containsExactly("FLEET-VAN-01", "FLEET-VAN-02", "FLEET-VAN-03");
        assertThat(depot.sessionLength()).isEqualTo(new DurationRange(Duration.ofMinutes(2), Duration.ofMinutes(5)));
        assertThat(depot.meterInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fleet.chargePoints()).extracting(ChargePointSpec::id).contains("STREET-0001", "STREET-0020",
                "HPC-0004", "LAB-01");
        ChargePointSpec street = fleet.chargePoints().get(2);
        assertThat(street.connectors()).as("from defaults").isEqualTo(2);
        assertThat(street.idTags()).hasSize(4);
        assertThat(street.pause()).isEqualTo(new DurationRange(Duration.ofSeconds(1), Duration.ofSeconds(5)));
        assertThat(street.suspendProbability()).isEqualTo(0.1);
        ChargePointSpec hpc = fleet.chargePoints().get(22);
        assertThat(hpc.pause()).isEqualTo(DurationRange.exactly(Duration.ofMillis(500)));
        assertThat(hpc.suspendProbability()).isZero();
        assertThat(fleet.chargePoints().get(26).autoStart()).isFalse();
    }

    @Test
    void builtInDefaultsFillWhatTheFileLeavesOut() throws Exception {
        Fleet fleet = FleetFile.parse("{\"chargePoints\":[{\"id\":\"A\"}]}");

        assertThat(fleet.chargePoints()).singleElement().isEqualTo(new ChargePointSpec("A", 2,
                ChargePointSpec.DEFAULT_ID_TAGS, DurationRange.exactly(Duration.ofSeconds(30)), Fleet.DEFAULT_PAUSE,
                Duration.ofSeconds(5), 0, true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[]                                                            | the file must hold a JSON object",
        "{\"chargePoints\":[{\"id\":\"A\"}],}                          | not valid JSON:",
        "{\"chargePoints\":[{\"id\":\"A\"}]} x                         | not valid JSON",
        "''                                                            | not valid JSON",
        "x                                                             | not valid JSON: malformed JSON at line 1 column 1",
        "{}                                                            | chargePoints must be a non-empty list",
        "{\"chargePoints\":[]}                                         | chargePoints must be a non-empty list",
        "{\"chargepoints\":[]}                                         | chargepoints is not a known field",
        "{\"chargePoints\":[5]}                                        | chargePoints[0] must be a JSON object (got 5)",
        "{\"chargePoints\":[{}]}                                       | chargePoints[0] needs either \"id\" or \"idPrefix\" with \"count\"",
        "{\"chargePoints\":[{\"id\":\"A\",\"count\":3}]}               | chargePoints[0].count: \"count\" goes with \"idPrefix\", not with \"id\"",
        "{\"chargePoints\":[{\"id\":\"A\",\"idPrefix\":\"P\",\"count\":3}]} | chargePoints[0] has both \"id\" and \"idPrefix\"",
        "{\"chargePoints\":[{\"idPrefix\":\"A\"}]}                     | chargePoints[0] needs both \"idPrefix\" and \"count\"",
        "{\"chargePoints\":[{\"id\":\"a/b\"}]}                         | chargePoints[0].id must be 1-48 letters",
        "{\"chargePoints\":[{\"idPrefix\":\"P\",\"count\":0}]}         | chargePoints[0].count must be between 1 and 100000 (got 0)",
        "{\"chargePoints\":[{\"id\":\"A\",\"connectors\":0}]}          | chargePoints[0].connectors must be between 1 and 100 (got 0)",
        "{\"chargePoints\":[{\"id\":\"A\",\"connectors\":1.5}]}        | chargePoints[0].connectors must be a whole number",
        "{\"chargePoints\":[{\"id\":\"A\",\"connectors\":\"2\"}]}      | chargePoints[0].connectors must be a number",
        "{\"chargePoints\":[{\"id\":\"A\",\"conectors\":2}]}           | chargePoints[0].conectors is not a known field",
        "{\"chargePoints\":[{\"id\":\"A\",\"idTags\":[]}]}             | chargePoints[0].idTags must be a non-empty list",
        "{\"chargePoints\":[{\"id\":\"A\",\"idTags\":[\"\"]}]}         | chargePoints[0].idTags[0] must be a string of 1 to 20 characters",
        "{\"chargePoints\":[{\"id\":\"A\",\"idTags\":[\"T\",7]}]}      | chargePoints[0].idTags[1] must be a string",
        "{\"chargePoints\":[{\"id\":\"A\",\"sessionSeconds\":0}]}      | chargePoints[0].sessionSeconds must be more than 0 (got 0)",
        "{\"chargePoints\":[{\"id\":\"A\",\"sessionSeconds\":{\"min\":9,\"max\":3}}]} | chargePoints[0].sessionSeconds.min must not exceed chargePoints[0].sessionSeconds.max (got 9 > 3)",
        "{\"chargePoints\":[{\"id\":\"A\",\"sessionSeconds\":{\"min\":1}}]} | chargePoints[0].sessionSeconds needs both \"min\" and \"max\"",
        "{\"chargePoints\":[{\"id\":\"A\",\"sessionSeconds\":{\"min\":1,\"max\":2,\"avg\":1}}]} | chargePoints[0].sessionSeconds.avg is not a known field",
        "{\"chargePoints\":[{\"id\":\"A\",\"pauseSeconds\":-1}]}       | chargePoints[0].pauseSeconds must be between 0 and 604800 (got -1)",
        "{\"chargePoints\":[{\"id\":\"A\",\"meterIntervalSeconds\":-5}]} | chargePoints[0].meterIntervalSeconds must be between 0 and 86400",
        "{\"chargePoints\":[{\"id\":\"A\",\"suspendProbability\":2}]}  | chargePoints[0].suspendProbability must be between 0 and 1 (got 2)",
        "{\"chargePoints\":[{\"id\":\"A\",\"autoStart\":\"yes\"}]}     | chargePoints[0].autoStart must be true or false (got \"yes\")",
        "{\"defaults\":{\"connectors\":0},\"chargePoints\":[{\"id\":\"A\"}]} | defaults.connectors must be between 1 and 100 (got 0)",
        "{\"defaults\":{\"id\":\"X\"},\"chargePoints\":[{\"id\":\"A\"}]} | defaults.id is not a known field",
        "{\"chargePoints\":[{\"id\":\"P-0002\"},{\"idPrefix\":\"P\",\"count\":3}]} | chargePoints[1] repeats charge point id P-0002 (already in chargePoints[0])",
        "{\"chargePoints\":[{\"idPrefix\":\"P\",\"count\":60000},{\"idPrefix\":\"Q\",\"count\":60000}]} | the fleet has more than 100000 charge points",
    })
    void mistakesAreOneLineNamingTheField(String json, String message) {
        assertThatThrownBy(() -> FleetFile.parse(json)).isInstanceOf(FleetFile.Invalid.class)
                .hasMessageContaining(message.strip())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aMissingFileSaysSo(@TempDir Path dir) {
        assertThatThrownBy(() -> FleetFile.load(dir.resolve("nope.json"))).isInstanceOf(FleetFile.Invalid.class)
                .hasMessageContaining("cannot read the file (NoSuchFileException");
    }

    @Test
    void secondsMayHaveFractions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.json");
        Files.writeString(file, "{\"chargePoints\":[{\"idPrefix\":\"X\",\"count\":2,\"sessionSeconds\":{\"min\":0.25,"
                + "\"max\":1.5},\"idTags\":[\"T1\"]}]}");

        Fleet fleet = FleetFile.load(file);

        assertThat(fleet.chargePoints()).extracting(ChargePointSpec::id).containsExactly("X-0001", "X-0002");
        assertThat(fleet.chargePoints().get(1).sessionLength())
                .isEqualTo(new DurationRange(Duration.ofMillis(250), Duration.ofMillis(1500)));
        assertThat(fleet.chargePoints().get(1).idTags()).isEqualTo(List.of("T1"));
    }
}
