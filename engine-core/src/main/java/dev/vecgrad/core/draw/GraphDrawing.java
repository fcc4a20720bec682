package dev.vecgrad.core.draw;

import java.util.List;
import java.util.Map;

/** A {@link Graph} laid out by {@link GraphLayout}: edges, then nodes, then edge labels, then a legend. */
final class GraphDrawing extends Drawing {
    private static final Rgb EDGE = new Rgb(0x6B7280);
    private static final Rgb LABEL = new Rgb(0xA0401C);
    private static final TextStyle LEGEND = TextStyle.sans(11);
    private static final double LEGEND_HEIGHT = 22;

    private final Graph graph;
    private final GraphLayout layout;

    GraphDrawing(Graph graph) {
        this.graph = graph;
        this.layout = new GraphLayout(graph);
    }

    GraphLayout layout() {
        return layout;
    }

    @Override
    public double width() {
        return Math.max(layout.width, legendWidth() + 2 * GraphLayout.MARGIN);
    }

    @Override
    public double height() {
        return layout.height + (graph.legendEntries().isEmpty() ? 0 : LEGEND_HEIGHT);
    }

    private double legendWidth() {
        double w = 0;
        for (String meaning : graph.legendEntries().values()) {
            w += 22 + LEGEND.width(meaning) + 16;
        }
        return w;
    }

    @Override
    public void draw(Canvas c) {
        List<Graph.Node> nodes = graph.nodes();
        List<Graph.Edge> edges = graph.edges();
        c.begin("graph", graph.name(), null);
        for (int e = 0; e < edges.size(); e++) {
            Graph.Edge edge = edges.get(e);
            c.begin("edge", edge.from() + " -> " + edge.to(), null);
            drawRoute(c, layout.routes[e]);
            c.end();
        }
        for (int i = 0; i < nodes.size(); i++) {
            drawNode(c, nodes.get(i), layout.nodes[i]);
        }
        for (int e = 0; e < edges.size(); e++) {
            GraphLayout.Box b = layout.routes[e].label();
            if (b != null) {
                c.begin("edge-label", edges.get(e).from() + " -> " + edges.get(e).to(), null);
                c.text(b.x(), b.y() + GraphLayout.EDGE_LABEL.baselineOffset(), edges.get(e).label(),
                        GraphLayout.EDGE_LABEL, LABEL, Canvas.Anchor.START, 0);
                c.end();
            }
        }
        drawLegend(c);
        c.end();
    }

    private void drawRoute(Canvas c, GraphLayout.Route r) {
        double[] xs = r.xs();
        double[] ys = r.ys();
        PathData p = new PathData().moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            if (r.straight()[i]) {
                p.lineTo(xs[i], ys[i]);
            } else if (layout.down) {
                double my = (ys[i - 1] + ys[i]) / 2;
                p.curveTo(xs[i - 1], my, xs[i], my, xs[i], ys[i]);
            } else {
                double mx = (xs[i - 1] + xs[i]) / 2;
                p.curveTo(mx, ys[i - 1], mx, ys[i], xs[i], ys[i]);
            }
        }
        c.path(p, null, EDGE, 1.3, Canvas.Dash.SOLID);
        // The arrowhead: its base where the line ends, its tip on the reader's side.
        int n = xs.length - 1;
        double x = xs[n];
        double y = ys[n];
        PathData head = layout.down
                ? new PathData().moveTo(x - 4, y - 1).lineTo(x + 4, y - 1).lineTo(x, y + 7).close()
                : new PathData().moveTo(x - 1, y - 4).lineTo(x - 1, y + 4).lineTo(x + 7, y).close();
        c.path(head, EDGE, null, 0, Canvas.Dash.SOLID);
    }

    private void drawNode(Canvas c, Graph.Node n, GraphLayout.Box b) {
        c.begin("node", n.id(), n.tooltip());
        Graph.Kind k = n.kind();
        c.rect(b.x(), b.y(), b.w(), b.h(), GraphLayout.cornerRadius(k, b.h()), k.fill, k.stroke,
                k == Graph.Kind.TARGET ? 2.2 : 1.2);
        double cx = b.x() + b.w() / 2;
        double lines = GraphLayout.TITLE.lineHeight() + (n.lines().size() - 1) * GraphLayout.DETAIL.lineHeight();
        double y = b.y() + (b.h() - lines) / 2;
        c.text(cx, y + GraphLayout.TITLE.baselineOffset(), n.lines().get(0), GraphLayout.TITLE, Rgb.INK,
                Canvas.Anchor.MIDDLE, 0);
        y += GraphLayout.TITLE.lineHeight();
        for (int i = 1; i < n.lines().size(); i++) {
            c.text(cx, y + GraphLayout.DETAIL.baselineOffset(), n.lines().get(i), GraphLayout.DETAIL, Rgb.MUTED,
                    Canvas.Anchor.MIDDLE, 0);
            y += GraphLayout.DETAIL.lineHeight();
        }
        c.end();
    }

    private void drawLegend(Canvas c) {
        Map<Graph.Kind, String> entries = graph.legendEntries();
        if (entries.isEmpty()) {
            return;
        }
        c.begin("legend", null, null);
        double x = GraphLayout.MARGIN;
        double mid = layout.height + LEGEND_HEIGHT / 2 - 4;
        for (Map.Entry<Graph.Kind, String> e : entries.entrySet()) {
            Graph.Kind k = e.getKey();
            c.rect(x, mid - 6, 16, 12, k.rounded() ? 6 : 2, k.fill, k.stroke, k == Graph.Kind.TARGET ? 2 : 1.2);
            c.text(x + 22, mid + LEGEND.size() * 0.35, e.getValue(), LEGEND, Rgb.INK, Canvas.Anchor.START, 0);
            x += 22 + LEGEND.width(e.getValue()) + 16;
        }
        c.end();
    }
}
