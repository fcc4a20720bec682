package dev.vecgrad.core.draw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A directed acyclic graph of labelled boxes, to be laid out in layers and drawn ({@link
 * #drawing()}) or handed to Graphviz ({@link #toDot()}): a tape's ops, a model's layers.
 *
 * <pre>{@code
 * Graph g = new Graph("tape")
 *         .node("w", Graph.Kind.SOURCE, "w", "float32 (2, 2)")
 *         .node("mm", Graph.Kind.OP, "matmul", "(3, 2)")
 *         .node("s", Graph.Kind.TARGET, "sum", "()")
 *         .edge("w", "mm")
 *         .edge("mm", "s", "ones (3, 2)");
 * g.drawing().write(Path.of("tape.svg"));
 * }</pre>
 *
 * <p>Each node's first line is its title (bold), the others details. Edges run from an input to
 * what reads it; an edge's optional label is drawn beside it. The layout puts every node below
 * (or right of) everything it reads, orders each layer to avoid crossings, and keeps boxes and
 * labels apart.
 */
public final class Graph {
    /** What a node is, which decides how it is drawn. */
    public enum Kind {
        /** Where values come from: a variable or a watched tensor (green, rounded). */
        SOURCE("source", new Rgb(0xDDF2D5), new Rgb(0x4E8F3A)),
        /** A model's input (yellow, rounded). */
        INPUT("input", new Rgb(0xFFF3C4), new Rgb(0xB58B00)),
        /** An operation (white). */
        OP("op", new Rgb(0xFFFFFF), new Rgb(0x5A6A8A)),
        /** A layer of a model (blue). */
        LAYER("layer", new Rgb(0xDCE8F6), new Rgb(0x3A6EA5)),
        /** What is differentiated or produced last (red, bold border). */
        TARGET("target", new Rgb(0xFAD4CB), new Rgb(0xC0392B));

        private final String dotName;
        final Rgb fill;
        final Rgb stroke;

        Kind(String dotName, Rgb fill, Rgb stroke) {
            this.dotName = dotName;
            this.fill = fill;
            this.stroke = stroke;
        }

        boolean rounded() {
            return this == SOURCE || this == INPUT;
        }
    }

    /** Which way edges run. */
    public enum Direction {
        /** Top to bottom, as Keras's {@code plot_model}. */
        DOWN,
        /** Left to right. */
        RIGHT
    }

    /** A node: its id, kind and lines of text. */
    record Node(String id, Kind kind, List<String> lines, String tooltip) {
    }

    /** An edge from an input to its reader, with an optional label. */
    record Edge(String from, String to, String label) {
    }

    private final String name;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private final Map<Kind, String> legend = new LinkedHashMap<>();
    private Direction direction = Direction.DOWN;

    /** An empty graph called {@code name} (the DOT graph's name and the drawing's title for tools). */
    public Graph(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** Adds a node; {@code lines} are its title and details, at least one. */
    public Graph node(String id, Kind kind, String... lines) {
        return nodeWithTooltip(id, kind, null, lines);
    }

    /** Adds a node with a hover text (shown by SVG viewers). */
    public Graph nodeWithTooltip(String id, Kind kind, String tooltip, String... lines) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (lines.length == 0) {
            throw new IllegalArgumentException("node '" + id + "' needs at least a title line");
        }
        if (nodes.containsKey(id)) {
            throw new IllegalArgumentException("node '" + id + "' is already in graph '" + name + "'");
        }
        nodes.put(id, new Node(id, kind, List.of(lines), tooltip));
        return this;
    }

    /** Adds an edge from {@code from} to {@code to}; both must be nodes already. */
    public Graph edge(String from, String to) {
        return edge(from, to, null);
    }

    /** Adds an edge with a label drawn beside it (null for none). */
    public Graph edge(String from, String to, String label) {
        for (String id : new String[] {from, to}) {
            if (!nodes.containsKey(id)) {
                throw new IllegalArgumentException("edge " + from + " -> " + to + ": no node '" + id + "' in graph '"
                        + name + "'");
            }
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("edge " + from + " -> " + to + " is a loop; a graph here is acyclic");
        }
        edges.add(new Edge(from, to, label));
        return this;
    }

    /** Explains a kind of node in a legend under the drawing. */
    public Graph legend(Kind kind, String meaning) {
        legend.put(kind, Objects.requireNonNull(meaning, "meaning"));
        return this;
    }

    /** Sets which way edges run (default {@link Direction#DOWN}). */
    public Graph direction(Direction d) {
        direction = Objects.requireNonNull(d, "direction");
        return this;
    }

    /** The graph's name. */
    public String name() {
        return name;
    }

    /** The number of nodes. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The number of edges. */
    public int edgeCount() {
        return edges.size();
    }

    List<Node> nodes() {
        return List.copyOf(nodes.values());
    }

    List<Edge> edges() {
        return Collections.unmodifiableList(edges);
    }

    Map<Kind, String> legendEntries() {
        return Collections.unmodifiableMap(legend);
    }

    Direction directionOf() {
        return direction;
    }

    /**
     * The graph laid out and ready to draw or write; an error naming the nodes of a cycle if
     * the edges make one.
     */
    public Drawing drawing() {
        return new GraphDrawing(this);
    }

    /** The graph in Graphviz DOT, with the same nodes, colours and edge labels as the drawing. */
    public String toDot() {
        StringBuilder sb = new StringBuilder("digraph ").append(id(name)).append(" {\n  rankdir=")
                .append(direction == Direction.DOWN ? "TB" : "LR").append(";\n  node [fontname=\"Helvetica\"];\n");
        for (Node n : nodes.values()) {
            sb.append("  ").append(id(n.id())).append(" [shape=").append(n.kind().rounded() ? "ellipse" : "box")
                    .append(", style=\"filled").append(n.kind() == Kind.TARGET ? ",bold" : "").append("\", fillcolor=\"")
                    .append(n.kind().fill.hex()).append("\", label=").append(quote(String.join("\n", n.lines())))
                    .append(n.kind() == Kind.TARGET ? ", xlabel=\"" + n.kind().dotName + "\"" : "").append("];\n");
        }
        for (Edge e : edges) {
            sb.append("  ").append(id(e.from())).append(" -> ").append(id(e.to()));
            if (e.label() != null) {
                sb.append(" [label=").append(quote(e.label())).append(']');
            }
            sb.append(";\n");
        }
        return sb.append("}\n").toString();
    }

    /** A DOT identifier: as it is when it is a plain word, else quoted. */
    private static String id(String s) {
        return s.matches("[A-Za-z_][A-Za-z0-9_]*") ? s : quote(s);
    }

    /** A DOT string: quoted, with quotes and backslashes escaped and line breaks as {@code \n}. */
    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
