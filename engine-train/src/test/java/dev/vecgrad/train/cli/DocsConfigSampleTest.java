package dev.vecgrad.train.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vecgrad.core.io.Json;
import dev.vecgrad.core.io.VersionedDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample {@code config.json} in {@code docs/saving.md} is what {@code vecgrad train --save} writes. */
class DocsConfigSampleTest {
    @TempDir
    Path dir;

    @Test
    void theSampleConfigIsWhatTrainSaveWrites() throws IOException {
        String doc = Files.readString(Path.of("../docs/saving.md"));
        int intro = doc.indexOf("exactly as `vecgrad train --save` writes it");
        assertThat(intro).as("the sample's introduction in docs/saving.md").isPositive();
        int start = doc.indexOf("```json\n", intro) + "```json\n".length();
        String sample = doc.substring(start, doc.indexOf("```", start));

        Path data = CliRuns.writeSet(dir, "toy", 16, 28, 1);
        Path saved = dir.resolve("m");
        CliRuns.Run r = CliRuns.run("train", "--train", data.toString(), "--test", data.toString(), "--epochs", "1",
                "--verbose", "0", "--save", saved.toString());
        assertThat(r.status()).as(r.err()).isZero();
        Object written = Json.parse(Files.readString(VersionedDirectory.current(saved).resolve("config.json")));
        assertThat(Json.parse(sample)).as("the sample in docs/saving.md; the CLI now writes %s",
                Json.write(written)).isEqualTo(written);
    }
}
