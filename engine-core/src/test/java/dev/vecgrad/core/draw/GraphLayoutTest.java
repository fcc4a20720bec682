package dev.vecgrad.core.draw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {
    /** A random acyclic graph: edges only from lower to higher node numbers, some labelled. */
    private static Graph randomGraph(long seed, int n, boolean labels, Graph.Direction direction) {
        Random rnd = new Random(seed);
        Graph g = new Graph("random").direction(direction);
        Graph.Kind[] kinds = Graph.Kind.values();
        for (int i = 0; i < n; i++) {
            String title = "op" + i + "x".repeat(rnd.nextInt(12));
            g.node("v" + i, kinds[rnd.nextInt(kinds.length)], title, "(" + rnd.nextInt(100) + ", 3)");
        }
        for (int i = 1; i < n; i++) {
            int inputs = 1 + rnd.nextInt(Math.min(i, 3));
            for (int k = 0; k < inputs; k++) {
                int from = rnd.nextInt(i);
                g.edge("v" + from, "v" + i, labels && rnd.nextBoolean() ? "g" + "9".repeat(rnd.nextInt(10)) : null);
            }
        }
        return g;
    }

    /** Every box (nodes and edge labels) apart from every other, inside the drawing. */
    static void assertNoOverlaps(GraphDrawing d) {
        GraphLayout l = d.layout();
        List<GraphLayout.Box> boxes = new ArrayList<>(List.of(l.nodes));
        for (GraphLayout.Route r : l.routes) {
            if (r.label() != null) {
                boxes.add(r.label());
            }
        }
        for (int i = 0; i < boxes.size(); i++) {
            GraphLayout.Box a = boxes.get(i);
            assertThat(a.x()).isGreaterThanOrEqualTo(0);
            assertThat(a.y()).isGreaterThanOrEqualTo(0);
            assertThat(a.x() + a.w()).isLessThanOrEqualTo(d.width());
            assertThat(a.y() + a.h()).isLessThanOrEqualTo(d.height());
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(a.overlaps(boxes.get(j))).as("box %d %s overlaps box %d %s", i, a, j, boxes.get(j)).isFalse();
            }
        }
    }

    @Property(tries = 60, seed = "20261206")
    void randomGraphsLayOutWithoutOverlapsAndWithEdgesRunningForward(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int n, @ForAll boolean labels, @ForAll boolean down) {
        Graph g = randomGraph(seed, n, labels, down ? Graph.Direction.DOWN : Graph.Direction.RIGHT);
        GraphDrawing d = (GraphDrawing) g.drawing();
        assertNoOverlaps(d);
        GraphLayout l = d.layout();
        List<Graph.Node> nodes = g.nodes();
        List<Graph.Edge> edges = g.edges();
        for (int e = 0; e < edges.size(); e++) {
            GraphLayout.Box from = l.nodes[indexOf(nodes, edges.get(e).from())];
            GraphLayout.Box to = l.nodes[indexOf(nodes, edges.get(e).to())];
            GraphLayout.Route r = l.routes[e];
            int last = r.xs().length - 1;
            if (down) {
                assertThat(to.y()).as("a reader sits below its input").isGreaterThan(from.y() + from.h());
                assertThat(r.ys()[0]).isEqualTo(from.y() + from.h());
                assertThat(r.xs()[0]).isBetween(from.x(), from.x() + from.w());
                assertThat(r.xs()[last]).isBetween(to.x(), to.x() + to.w());
                assertThat(r.ys()[last]).isBetween(to.y() - 8, to.y());
            } else {
                assertThat(to.x()).isGreaterThan(from.x() + from.w());
                assertThat(r.xs()[0]).isEqualTo(from.x() + from.w());
                assertThat(r.ys()[0]).isBetween(from.y(), from.y() + from.h());
                assertThat(r.ys()[last]).isBetween(to.y(), to.y() + to.h());
            }
            assertThat(r.label() != null).isEqualTo(edges.get(e).label() != null);
        }
    }

    private static int indexOf(List<Graph.Node> nodes, String id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no node " + id);
    }

    @Test
    void aChainWithoutBranchesHasNoCrossingsAndStandsStraight() {
        Graph g = new Graph("chain");
        for (int i = 0; i < 6; i++) {
            g.node("n" + i, Graph.Kind.LAYER, "layer" + i, "(None, " + (10 * i + 1) + ")");
            if (i > 0) {
                g.edge("n" + (i - 1), "n" + i);
            }
        }
        GraphDrawing d = (GraphDrawing) g.drawing();
        GraphLayout l = d.layout();
        for (GraphLayout.Box b : l.nodes) {
            assertThat(b.x() + b.w() / 2).isCloseTo(l.nodes[0].x() + l.nodes[0].w() / 2,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(l.crossings()).isZero();
    }

    @Test
    void aCrossingThatOrderingCanRemoveIsRemoved() {
        // a and b each feed the op on the other side; barycentre ordering swaps the readers.
        Graph g = new Graph("x").node("a", Graph.Kind.SOURCE, "a").node("b", Graph.Kind.SOURCE, "b")
                .node("c", Graph.Kind.OP, "c").node("d", Graph.Kind.OP, "d").node("t", Graph.Kind.TARGET, "t")
                .edge("b", "c").edge("a", "d").edge("c", "t").edge("d", "t");
        assertThat(((GraphDrawing) g.drawing()).layout().crossings()).isZero();
    }

    @Test
    void aVariableSitsJustAboveItsReader() {
        Graph g = new Graph("tape").node("x", Graph.Kind.SOURCE, "x").node("a", Graph.Kind.OP, "a")
                .node("b", Graph.Kind.OP, "b").node("w", Graph.Kind.SOURCE, "w").node("c", Graph.Kind.OP, "c")
                .edge("x", "a").edge("a", "b").edge("b", "c").edge("w", "c");
        GraphLayout l = ((GraphDrawing) g.drawing()).layout();
        assertThat(l.nodes[3].y()).as("w in the rank of b, not of x").isEqualTo(l.nodes[2].y());
    }

    @Test
    void svgHasOneGroupANodeAndAnEdgeAndTheLegend() throws Exception {
        Graph g = randomGraph(7, 12, true, Graph.Direction.DOWN).legend(Graph.Kind.OP, "op")
                .legend(Graph.Kind.SOURCE, "variable");
        SvgDocument svg = new SvgDocument(g.drawing().toSvg());
        assertThat(svg.count("//g[@class='node']")).isEqualTo(12);
        assertThat(svg.count("//g[@class='node']/rect")).isEqualTo(12);
        assertThat(svg.count("//g[@class='edge']")).isEqualTo(g.edgeCount());
        assertThat(svg.count("//g[@class='edge']/path")).isEqualTo(2 * g.edgeCount());
        long labelled = g.edges().stream().filter(e -> e.label() != null).count();
        assertThat(svg.count("//g[@class='edge-label']/text")).isEqualTo((int) labelled);
        assertThat(svg.count("//g[@class='legend']/text")).isEqualTo(2);
        assertThat(svg.all("//g[@class='node'][@data-name='v3']/text").item(0).getTextContent()).startsWith("op3");
    }

    @Test
    void dotHasTheSameNodesAndEdges() {
        assertThat(new Graph("my tape").node("x/1", Graph.Kind.OP, "x").toDot()).startsWith("digraph \"my tape\" {")
                .contains("\"x/1\" [shape=box");
        Graph g = new Graph("t").node("a", Graph.Kind.SOURCE, "w \"kernel\"", "(2, 2)").node("b", Graph.Kind.TARGET,
                "sum", "()").edge("a", "b", "[[1, 1]]");
        String dot = g.toDot();
        assertThat(dot).startsWith("digraph t {").contains("a -> b [label=\"[[1, 1]]\"]")
                .contains("label=\"w \\\"kernel\\\"\\n(2, 2)\"").contains("xlabel=\"target\"");
    }

    @Test
    void badGraphsAreClearErrors() {
        Graph g = new Graph("g").node("a", Graph.Kind.OP, "a").node("b", Graph.Kind.OP, "b");
        assertThatThrownBy(() -> g.node("a", Graph.Kind.OP, "again")).hasMessageContaining("already");
        assertThatThrownBy(() -> g.edge("a", "zz")).hasMessageContaining("no node 'zz'");
        assertThatThrownBy(() -> g.edge("a", "a")).hasMessageContaining("loop");
        assertThatThrownBy(() -> g.node("c", Graph.Kind.OP)).hasMessageContaining("title");
        g.edge("a", "b").edge("b", "a");
        assertThatThrownBy(g::drawing).hasMessageContaining("cycle through [a, b]");
    }

    @Test
    void anEmptyGraphDrawsAnEmptyPicture() throws Exception {
        Drawing d = new Graph("empty").drawing();
        assertThat(d.width()).isPositive();
        assertThat(new SvgDocument(d.toSvg()).count("//g[@class='node']")).isZero();
    }
}
