package dev.vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vecgrad.core.Tensor;
import dev.vecgrad.core.Variable;
import dev.vecgrad.core.draw.Graph;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class TapeDrawingTest {
    private static NodeList select(String svg, String xpath) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
    }

    private static List<String> texts(NodeList nodes) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    @Test
    void svgNamesEachOpByShapeAndEachVariableByName() throws Exception {
        Variable w = new Variable("dense/kernel", Tensor.of(new float[][] {{1, 2}, {3, 4}}), true);
        Tensor x = Tensor.of(new float[][] {{1, 1}});
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = x.matmul(w.value()).relu().sum();
            String svg = tape.toSvg(loss);
            assertThat(texts(select(svg, "//g[@class='node']/text"))).containsExactly("dense/kernel", "float32 (2, 2)",
                    "matmul", "(1, 2)", "relu", "(1, 2)", "sum", "()");
            assertThat(select(svg, "//g[@class='edge']").getLength()).isEqualTo(3);
            assertThat(select(svg, "//g[@class='edge-label']").getLength()).isZero();
            assertThat(texts(select(svg, "//g[@class='legend']/text"))).containsExactly("variable or watched tensor",
                    "op", "target");
            // The target is drawn in the target's colour.
            String fill = select(svg, "//g[@class='node'][@data-name='n2']/rect").item(0).getAttributes()
                    .getNamedItem("fill").getNodeValue();
            assertThat(fill).isEqualTo("#fad4cb");
        }
    }

    @Test
    void gradientsAlongTheEdgesAreTheOnesTheBackwardWalkComputes() throws Exception {
        // The walkthrough's example: d/dw Σ x·w = xᵀ·1 = [[9, 9], [12, 12]].
        Variable w = new Variable("w", Tensor.of(new float[][] {{1, 2}, {3, 4}}), true);
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = x.matmul(w.value()).sum();
            Graph g = tape.graph(loss, true);
            String svg = g.drawing().toSvg();
            // Σ's gradient is ones (3, 2): six elements, shown by norm √6.
            assertThat(texts(select(svg, "//g[@class='edge-label']/text"))).containsExactly("[[9, 9], [12, 12]]",
                    "‖g‖=2.45");
            assertThat(g.toDot()).contains("[label=\"[[9, 9], [12, 12]]\"]");
            // Drawing left the non-persistent tape able to compute its one gradient.
            Tensor grad = tape.gradient(loss, List.of(w)).get(0);
            assertThat(grad.toFloatArray()).containsExactly(9, 9, 12, 12);
        }
    }

    @Test
    void aGradientSplitAcrossTwoUsesIsShownPerEdge() throws Exception {
        // y = x·x + x: the three edges out of x carry x, x and 1 (for x = 3: 3, 3 and 1).
        Tensor x = Tensor.of(new double[] {3});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.mul(x).add(x);
            assertThat(texts(select(tape.toSvg(y, true), "//g[@class='edge-label']/text")))
                    .containsExactlyInAnyOrder("[3]", "[3]", "[1]", "[1]");
        }
    }

    @Test
    void labelsShowThreeSignificantDigits() {
        assertThat(TapeGraph.number(0.123456)).isEqualTo("0.123");
        assertThat(TapeGraph.number(-2.0)).isEqualTo("-2");
        assertThat(TapeGraph.number(1234567)).isEqualTo("1.23e+06");
        assertThat(TapeGraph.label(Tensor.of(new float[] {3, 4, 0, 0, 0}))).isEqualTo("‖g‖=5");
    }

    @Test
    void drawingAfterTheGradientIsAClearError() {
        Tensor x = Tensor.of(new double[] {3});
        try (GradientTape tape = GradientTape.open()) {
            tape.watch(x);
            Tensor y = x.mul(x);
            tape.gradient(y, x);
            assertThatThrownBy(() -> tape.toSvg(y)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("persistent");
        }
    }
}
