package dev.vecgrad.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.train.activations.Activations;
import dev.vecgrad.train.examples.WalkthroughExample;
import dev.vecgrad.train.layers.Dense;
import dev.vecgrad.train.layers.Flatten;
import dev.vecgrad.train.report.SvgCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPlotTest {
    private static Sequential mlp() {
        Sequential m = new Sequential("mlp").add(new Flatten()).add(new Dense(8, Activations.relu())).add(new Dense(3));
        m.build(1, 4, 4, 1);
        return m;
    }

    @Test
    void aSequentialModelIsItsInputThenEachLayerWithShapeAndParameters() throws Exception {
        SvgCheck svg = new SvgCheck(mlp().layerGraph().drawing().toSvg());
        assertThat(svg.count("//g[@class='node']")).isEqualTo(4);
        assertThat(svg.count("//g[@class='edge']")).isEqualTo(3);
        // 16 inputs: Dense 8 has 16*8 + 8 = 136 parameters, Dense 3 has 8*3 + 3 = 27.
        assertThat(svg.texts("//g[@class='node']/text")).containsExactly("input", "(None, 4, 4, 1)",
                "flatten (Flatten)", "(None, 16)", "0 params",
                "dense (Dense)", "(None, 8)", "136 params",
                "dense_1 (Dense)", "(None, 3)", "27 params");
        assertThat(svg.all("//g[@class='edge']").stream().map(e -> e.getAttribute("data-name")))
                .containsExactly("input -> layer0", "layer0 -> layer1", "layer1 -> layer2");
        svg.assertNoOverlaps();
    }

    @Test
    void plotWritesPngOrSvgByName(@TempDir Path dir) throws Exception {
        Sequential m = mlp();
        m.plot(dir.resolve("model.png"));
        m.plot(dir.resolve("model.svg"));
        assertThat(ImageIO.read(dir.resolve("model.png").toFile()).getHeight()).isGreaterThan(200);
        assertThat(Files.readString(dir.resolve("model.svg"))).startsWith("<svg").contains("dense_1 (Dense)");
        assertThatThrownBy(() -> m.plot(dir.resolve("model.gif"))).hasMessageContaining(".svg or .png");
    }

    @Test
    void aSubclassedModelIsOneBoxListingItsLayers() throws Exception {
        Model m = new WalkthroughExample.SimplifiedModel();
        m.build(1, 10);
        SvgCheck svg = new SvgCheck(m.layerGraph().drawing().toSvg());
        // Layer names count up across the JVM (dense, dense_1, ...), so the sublayer's is matched.
        assertThat(svg.texts("//g[@class='node'][@data-name='model']/text")).hasSize(4)
                .startsWith("simplified_model (SimplifiedModel)", "(None, 1)", "11 params");
        assertThat(svg.texts("//g[@class='node'][@data-name='model']/text").get(3))
                .matches("· dense(_\\d+)? \\(Dense\\), 11 params");
    }

    @Test
    void aFunctionalModelIsItsGraphOfLayerCallsWithoutOverlaps() throws Exception {
        // Two inputs, a shared layer called twice, a merge, a layer with two outputs, a nested
        // model and two heads.
        Functional m = FunctionalTest.twoHeads(1);
        SvgCheck svg = new SvgCheck(m.layerGraph().drawing().toSvg());
        svg.assertNoOverlaps();
        int calls = m.nodes().size();
        int inputs = m.nodes().stream().mapToInt(n -> n.inputs().size()).sum();
        assertThat(svg.count("//g[@class='node']")).isEqualTo(calls);
        assertThat(svg.count("//g[@class='edge']")).isEqualTo(inputs);
        assertThat(svg.all("//g[@class='node']/rect").stream().filter(r -> r.getAttribute("fill").equals("#fff3c4")))
                .as("the two inputs").hasSize(2);
        assertThat(svg.all("//g[@class='node']/rect").stream().filter(r -> r.getAttribute("fill").equals("#fad4cb")))
                .as("the two heads").hasSize(2);
        assertThat(svg.all("//g[@class='node']").stream().map(g -> g.getAttribute("data-name")))
                .contains("wide", "narrow", "a", "b", "dense_1", "dense_1#1");
    }

    @Test
    void anUnbuiltModelCannotBePlotted() {
        Sequential m = new Sequential("later").add(new Dense(2));
        assertThatThrownBy(m::layerGraph).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plot: model 'later' is not built yet");
    }
}
