package dev.vecgrad.core.draw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered ("Sugiyama") layout of a {@link Graph}, worked out along two axes: the rank axis
 * (down, or right) on which every node comes after what it reads, and the cross axis along
 * which each rank's nodes are ordered and spaced.
 *
 * <ol>
 * <li>Ranks: the longest path from a node without inputs; such a node is then moved down to
 * just above its first reader, so a variable sits beside the op that reads it.</li>
 * <li>Edges that skip ranks are cut by virtual nodes, one a rank, so every edge joins
 * neighbouring ranks; a labelled edge's label is a virtual node of its own size, in a rank
 * between two node ranks, so labels are spaced like nodes and never overlap one.</li>
 * <li>Order: sweeps that sort each rank by the mean position of its neighbours in the rank
 * before (barycentres), keeping the order with the fewest crossings.</li>
 * <li>Positions: each node is pulled towards the mean of its neighbours, rank by rank, and the
 * rank is then placed as close to those wishes as the order and the minimum gaps allow
 * (isotonic regression, solved exactly by pooling adjacent violators).</li>
 * </ol>
 */
final class GraphLayout {
    static final TextStyle TITLE = TextStyle.mono(12.5).withBold(true);
    static final TextStyle DETAIL = TextStyle.mono(11.5);
    static final TextStyle EDGE_LABEL = TextStyle.mono(10.5);
    static final double MARGIN = 12;
    private static final double PAD_X = 10;
    private static final double PAD_Y = 6;
    private static final double ARROW = 8;
    private static final int SWEEPS = 24;
    private static final int PLACEMENT_ROUNDS = 8;

    /** A rectangle in drawing coordinates. */
    record Box(double x, double y, double w, double h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    /** One edge's route: points from the reader's output port to the input port, and its label's box. */
    record Route(double[] xs, double[] ys, boolean[] straight, Box label) {
    }

    final boolean down;
    final Box[] nodes;
    final Route[] routes;
    final double width;
    final double height;

    // Vertices: the graph's nodes first, then virtual ones.
    private final List<Integer> rank = new ArrayList<>();
    private final List<Double> before = new ArrayList<>();
    private final List<Double> after = new ArrayList<>();
    private final List<Double> depth = new ArrayList<>();
    private final List<Integer> labelOf = new ArrayList<>();
    private final List<List<Integer>> preds = new ArrayList<>();
    private final List<List<Integer>> succs = new ArrayList<>();
    private final int real;
    /** Vertices on an edge out of a leaf (a node with no inputs and one reader), the leaf included. */
    private boolean[] leafy;
    private double[] pos;
    private int[][] order;

    GraphLayout(Graph graph) {
        down = graph.directionOf() == Graph.Direction.DOWN;
        List<Graph.Node> gn = graph.nodes();
        List<Graph.Edge> ge = graph.edges();
        real = gn.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < real; i++) {
            index.put(gn.get(i).id(), i);
        }
        int[] from = new int[ge.size()];
        int[] to = new int[ge.size()];
        for (int e = 0; e < from.length; e++) {
            from[e] = index.get(ge.get(e).from());
            to[e] = index.get(ge.get(e).to());
        }
        boolean labelled = ge.stream().anyMatch(e -> e.label() != null);
        int[] ranks = ranks(gn, from, to, labelled ? 2 : 1);

        double[][] sizes = new double[real][];
        for (int i = 0; i < real; i++) {
            sizes[i] = nodeSize(gn.get(i));
            double breadth = down ? sizes[i][0] : sizes[i][1];
            addVertex(ranks[i], breadth / 2, breadth / 2, down ? sizes[i][1] : sizes[i][0], -1);
        }
        // Cut each edge into one-rank steps; a label is the first virtual node of its edge.
        int[][] chains = new int[ge.size()][];
        for (int e = 0; e < chains.length; e++) {
            int span = ranks[to[e]] - ranks[from[e]];
            int[] chain = new int[span + 1];
            chain[0] = from[e];
            chain[span] = to[e];
            for (int k = 1; k < span; k++) {
                String label = k == 1 ? ge.get(e).label() : null;
                if (label != null) {
                    double lw = EDGE_LABEL.width(label);
                    double lh = EDGE_LABEL.lineHeight();
                    chain[k] = addVertex(ranks[from[e]] + k, 3, (down ? lw : lh) + 8, (down ? lh : lw) + 4, e);
                } else {
                    chain[k] = addVertex(ranks[from[e]] + k, 1, 1, 0, -1);
                }
            }
            for (int k = 0; k < span; k++) {
                succs.get(chain[k]).add(chain[k + 1]);
                preds.get(chain[k + 1]).add(chain[k]);
            }
            chains[e] = chain;
        }
        leafy = new boolean[rank.size()];
        for (int[] chain : chains) {
            int u = chain[0];
            if (preds.get(u).isEmpty() && succs.get(u).size() == 1) {
                for (int k = 0; k < chain.length - 1; k++) {
                    leafy[chain[k]] = true;
                }
            }
        }
        order = initialOrder(from);
        minimiseCrossings();
        place();

        // The rank axis: bands of each rank's deepest vertex, with gaps between them.
        int maxRank = order.length - 1;
        double[] bandStart = new double[maxRank + 1];
        double[] bandDepth = new double[maxRank + 1];
        for (int v = 0; v < rank.size(); v++) {
            bandDepth[rank.get(v)] = Math.max(bandDepth[rank.get(v)], depth.get(v));
        }
        double gap = labelled ? (down ? 12 : 14) : (down ? 40 : 48);
        double at = MARGIN;
        for (int r = 0; r <= maxRank; r++) {
            bandStart[r] = at;
            at += bandDepth[r] + gap;
        }
        double rankExtent = at - gap + MARGIN;
        double minCross = Double.POSITIVE_INFINITY;
        double maxCross = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < pos.length; v++) {
            minCross = Math.min(minCross, pos[v] - before.get(v));
            maxCross = Math.max(maxCross, pos[v] + after.get(v));
        }
        double shift = MARGIN - (real == 0 ? 0 : minCross);
        for (int v = 0; v < pos.length; v++) {
            pos[v] += shift;
        }
        double crossExtent = real == 0 ? 2 * MARGIN : maxCross + shift + MARGIN;
        width = down ? crossExtent : rankExtent;
        height = down ? rankExtent : crossExtent;

        nodes = new Box[real];
        for (int i = 0; i < real; i++) {
            int r = rank.get(i);
            double d = depth.get(i);
            double rankAt = bandStart[r] + (bandDepth[r] - d) / 2;
            double crossAt = pos[i] - before.get(i);
            nodes[i] = down ? new Box(crossAt, rankAt, sizes[i][0], sizes[i][1])
                    : new Box(rankAt, crossAt, sizes[i][0], sizes[i][1]);
        }
        routes = new Route[ge.size()];
        double[][] ports = ports(chains, from, to);
        for (int e = 0; e < routes.length; e++) {
            routes[e] = route(chains[e], ports[e], bandStart, bandDepth, ge.get(e).label());
        }
    }

    private int addVertex(int r, double bef, double aft, double dep, int label) {
        rank.add(r);
        before.add(bef);
        after.add(aft);
        depth.add(dep);
        labelOf.add(label);
        preds.add(new ArrayList<>());
        succs.add(new ArrayList<>());
        return rank.size() - 1;
    }

    /** The width and height of a node's box. */
    static double[] nodeSize(Graph.Node n) {
        double w = TITLE.width(n.lines().get(0));
        for (int i = 1; i < n.lines().size(); i++) {
            w = Math.max(w, DETAIL.width(n.lines().get(i)));
        }
        double h = TITLE.lineHeight() + (n.lines().size() - 1) * DETAIL.lineHeight() + 2 * PAD_Y;
        double padX = PAD_X + (n.kind().rounded() ? cornerRadius(n.kind(), h) * 0.3 : 0);
        return new double[] {Math.ceil(w + 2 * padX), Math.ceil(h)};
    }

    /** The corner radius of a node's box. */
    static double cornerRadius(Graph.Kind kind, double h) {
        return kind.rounded() ? Math.min(h / 2, 12) : 3;
    }

    /**
     * Each node's rank: one more than its deepest input, a node without inputs just above its
     * first reader; times {@code step} (2 leaves a rank between node ranks for edge labels).
     */
    private static int[] ranks(List<Graph.Node> nodes, int[] from, int[] to, int step) {
        int n = nodes.size();
        int[] indegree = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (int e = 0; e < from.length; e++) {
            out.get(from[e]).add(to[e]);
            indegree[to[e]]++;
        }
        int[] r = new int[n];
        int[] left = indegree.clone();
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (left[i] == 0) {
                ready.add(i);
            }
        }
        int[] topo = new int[n];
        int done = 0;
        while (!ready.isEmpty()) {
            int u = ready.poll();
            topo[done++] = u;
            for (int v : out.get(u)) {
                r[v] = Math.max(r[v], r[u] + 1);
                if (--left[v] == 0) {
                    ready.add(v);
                }
            }
        }
        if (done < n) {
            List<String> cycle = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (left[i] > 0) {
                    cycle.add(nodes.get(i).id());
                }
            }
            throw new IllegalArgumentException("the graph has a cycle through " + cycle + "; only acyclic graphs are laid"
                    + " out");
        }
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0 && !out.get(i).isEmpty()) {
                int first = Integer.MAX_VALUE;
                for (int v : out.get(i)) {
                    first = Math.min(first, r[v]);
                }
                r[i] = first - 1;
            }
        }
        for (int i = 0; i < n; i++) {
            r[i] *= step;
        }
        return r;
    }

    /** Each rank's vertices, nodes in the graph's order and each virtual vertex after its edge's source. */
    private int[][] initialOrder(int[] from) {
        int maxRank = 0;
        for (int r : rank) {
            maxRank = Math.max(maxRank, r);
        }
        double[] key = new double[rank.size()];
        for (int v = 0; v < key.length; v++) {
            key[v] = v < real ? v : key[preds.get(v).get(0)] + 0.5;
        }
        List<List<Integer>> byRank = new ArrayList<>();
        for (int r = 0; r <= maxRank; r++) {
            byRank.add(new ArrayList<>());
        }
        for (int v = 0; v < key.length; v++) {
            byRank.get(rank.get(v)).add(v);
        }
        int[][] result = new int[maxRank + 1][];
        for (int r = 0; r <= maxRank; r++) {
            List<Integer> vs = byRank.get(r);
            vs.sort(Comparator.comparingDouble(v -> key[v]));
            result[r] = vs.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    /** Barycentre sweeps, down and up, keeping the order with the fewest crossings. */
    private void minimiseCrossings() {
        int[][] best = copy(order);
        long bestCrossings = crossings();
        for (int sweep = 0; sweep < SWEEPS && bestCrossings > 0; sweep++) {
            boolean downward = sweep % 2 == 0;
            if (downward) {
                for (int r = 1; r < order.length; r++) {
                    sortByBarycentre(r, preds);
                }
            } else {
                for (int r = order.length - 2; r >= 0; r--) {
                    sortByBarycentre(r, succs);
                }
            }
            long c = crossings();
            if (c < bestCrossings) {
                bestCrossings = c;
                best = copy(order);
            }
        }
        order = best;
    }

    private void sortByBarycentre(int r, List<List<Integer>> neighbours) {
        int[] index = indexInRank();
        int[] vs = order[r];
        double[] bary = new double[rank.size()];
        for (int v : vs) {
            List<Integer> ns = neighbours.get(v);
            if (ns.isEmpty()) {
                bary[v] = index[v];
            } else {
                double s = 0;
                for (int u : ns) {
                    s += index[u];
                }
                bary[v] = s / ns.size() * ((double) vs.length / Math.max(1, order[rank.get(ns.get(0))].length));
            }
        }
        Integer[] boxed = Arrays.stream(vs).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, Comparator.comparingDouble(v -> bary[v]));
        order[r] = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    private int[] indexInRank() {
        int[] index = new int[rank.size()];
        for (int[] vs : order) {
            for (int i = 0; i < vs.length; i++) {
                index[vs[i]] = i;
            }
        }
        return index;
    }

    /** The number of edge crossings between neighbouring ranks. */
    long crossings() {
        int[] index = indexInRank();
        long total = 0;
        for (int[] vs : order) {
            List<int[]> pairs = new ArrayList<>();
            for (int u : vs) {
                for (int v : succs.get(u)) {
                    pairs.add(new int[] {index[u], index[v]});
                }
            }
            for (int i = 0; i < pairs.size(); i++) {
                for (int j = i + 1; j < pairs.size(); j++) {
                    int[] a = pairs.get(i);
                    int[] b = pairs.get(j);
                    if ((long) (a[0] - b[0]) * (a[1] - b[1]) < 0) {
                        total++;
                    }
                }
            }
        }
        return total;
    }

    private static int[][] copy(int[][] a) {
        int[][] c = new int[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    /** Positions on the cross axis: rounds of pulling each rank towards its neighbours. */
    private void place() {
        pos = new double[rank.size()];
        for (int[] vs : order) {
            placeRank(vs, new double[vs.length], new double[vs.length]);
        }
        for (int round = 0; round < PLACEMENT_ROUNDS; round++) {
            boolean last = round == PLACEMENT_ROUNDS - 1;
            for (int r = 1; r < order.length; r++) {
                pull(order[r], last ? null : preds);
            }
            for (int r = order.length - 2; r >= 0; r--) {
                pull(order[r], last ? null : succs);
            }
        }
    }

    /** Pulls a rank towards its neighbours on one side, or (null) on both. */
    private void pull(int[] vs, List<List<Integer>> side) {
        double[] wish = new double[vs.length];
        double[] weight = new double[vs.length];
        for (int i = 0; i < vs.length; i++) {
            int v = vs[i];
            List<Integer> ns = new ArrayList<>();
            if (side == null || side == preds) {
                ns.addAll(preds.get(v));
            }
            if (side == null || side == succs) {
                ns.addAll(succs.get(v));
            }
            if (ns.isEmpty()) {
                wish[i] = pos[v];
                weight[i] = 0.05;
            } else {
                // A leaf that feeds one node (a variable), and its edge, barely pull and give way
                // easily: the chain of ops stays straight and the leaves move aside.
                double s = 0;
                double w = 0;
                for (int u : ns) {
                    double wu = leafy[u] ? 0.02 : 1;
                    s += wu * pos[u];
                    w += wu;
                }
                wish[i] = s / w;
                weight[i] = leafy[v] ? 0.02 : v < real ? 1 : 3;
            }
        }
        placeRank(vs, wish, weight);
    }

    /**
     * Places one rank's vertices, in order and at least their gaps apart, as near their wishes
     * as possible (least weighted squares): with offsets that absorb the gaps the constraint is
     * "non-decreasing", and pooling adjacent violators finds the exact optimum.
     */
    private void placeRank(int[] vs, double[] wish, double[] weight) {
        int n = vs.length;
        double[] offset = new double[n];
        for (int i = 1; i < n; i++) {
            offset[i] = offset[i - 1] + after.get(vs[i - 1]) + gap(vs[i - 1], vs[i]) + before.get(vs[i]);
        }
        double[] sum = new double[n];
        double[] wsum = new double[n];
        int[] count = new int[n];
        int blocks = 0;
        for (int i = 0; i < n; i++) {
            double w = Math.max(weight[i], 1e-6);
            sum[blocks] = w * (wish[i] - offset[i]);
            wsum[blocks] = w;
            count[blocks] = 1;
            blocks++;
            while (blocks > 1 && sum[blocks - 2] / wsum[blocks - 2] > sum[blocks - 1] / wsum[blocks - 1]) {
                sum[blocks - 2] += sum[blocks - 1];
                wsum[blocks - 2] += wsum[blocks - 1];
                count[blocks - 2] += count[blocks - 1];
                blocks--;
            }
        }
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            double level = sum[b] / wsum[b];
            for (int k = 0; k < count[b]; k++, i++) {
                pos[vs[i]] = level + offset[i];
            }
        }
    }

    private double gap(int u, int v) {
        boolean du = u >= real;
        boolean dv = v >= real;
        return du && dv ? 6 : du || dv ? 12 : 24;
    }

    /** For each edge, the cross-axis position of its start and end port, spread along the node's side. */
    private double[][] ports(int[][] chains, int[] from, int[] to) {
        double[][] ports = new double[chains.length][2];
        Map<Integer, List<Integer>> outs = new HashMap<>();
        Map<Integer, List<Integer>> ins = new HashMap<>();
        for (int e = 0; e < chains.length; e++) {
            outs.computeIfAbsent(from[e], k -> new ArrayList<>()).add(e);
            ins.computeIfAbsent(to[e], k -> new ArrayList<>()).add(e);
        }
        outs.forEach((u, es) -> spread(u, es, e -> pos[chains[e][1]], ports, 0));
        ins.forEach((v, es) -> spread(v, es, e -> pos[chains[e][chains[e].length - 2]], ports, 1));
        return ports;
    }

    private void spread(int node, List<Integer> edges, java.util.function.ToDoubleFunction<Integer> other,
            double[][] ports, int end) {
        List<Integer> sorted = new ArrayList<>(edges);
        sorted.sort(Comparator.comparingDouble(other).thenComparingInt(e -> e));
        int n = sorted.size();
        double breadth = before.get(node) + after.get(node);
        double step = n < 2 ? 0 : Math.min(14, breadth * 0.7 / (n - 1));
        for (int k = 0; k < n; k++) {
            ports[sorted.get(k)][end] = pos[node] + (k - (n - 1) / 2.0) * step;
        }
    }

    private Route route(int[] chain, double[] ports, double[] bandStart, double[] bandDepth, String label) {
        List<double[]> pts = new ArrayList<>();
        List<Boolean> straight = new ArrayList<>();
        Box src = nodes[chain[0]];
        Box dst = nodes[chain[chain.length - 1]];
        pts.add(down ? new double[] {ports[0], src.y() + src.h()} : new double[] {src.x() + src.w(), ports[0]});
        Box labelBox = null;
        for (int k = 1; k < chain.length - 1; k++) {
            int v = chain[k];
            int r = rank.get(v);
            double mid = bandStart[r] + bandDepth[r] / 2;
            double half = depth.get(v) / 2;
            double c = pos[v];
            if (half > 0) {
                add(pts, straight, c, mid - half, false);
                add(pts, straight, c, mid + half, true);
            } else {
                add(pts, straight, c, mid, false);
            }
            if (labelOf.get(v) >= 0) {
                double lw = EDGE_LABEL.width(label);
                double lh = EDGE_LABEL.lineHeight();
                labelBox = down ? new Box(c + 6, mid - lh / 2, lw, lh) : new Box(mid - lw / 2, c + 5, lw, lh);
            }
        }
        double endRank = (down ? dst.y() : dst.x()) - ARROW + 1;
        add(pts, straight, ports[1], endRank, false);
        double[] xs = new double[pts.size()];
        double[] ys = new double[pts.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = pts.get(i)[0];
            ys[i] = pts.get(i)[1];
        }
        boolean[] st = new boolean[straight.size() + 1];
        for (int i = 0; i < straight.size(); i++) {
            st[i + 1] = straight.get(i);
        }
        return new Route(xs, ys, st, labelBox);
    }

    /** Adds a point given on (cross, rank) axes; {@code straight} says the segment to it is a line. */
    private void add(List<double[]> pts, List<Boolean> straight, double cross, double along, boolean isStraight) {
        pts.add(down ? new double[] {cross, along} : new double[] {along, cross});
        straight.add(isStraight);
    }
}
