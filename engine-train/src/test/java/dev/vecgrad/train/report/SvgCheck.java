package dev.vecgrad.train.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads pictures back: an SVG parsed as XML (so malformed output fails), its elements counted, its boxes checked. */
public final class SvgCheck {
    /** The monospaced advance the drawings lay text out with, in em. */
    private static final double MONO_EM = 0.602;

    private final Document doc;
    private final double width;
    private final double height;

    /** A box in the picture: a node's rectangle or the estimated extent of an edge label's text. */
    public record Box(String what, double x, double y, double w, double h) {
        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    /** Parses {@code svg}; an error if it is not well-formed XML with an {@code svg} root. */
    public SvgCheck(String svg) throws Exception {
        doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertThat(root.getNodeName()).isEqualTo("svg");
        width = Double.parseDouble(root.getAttribute("width"));
        height = Double.parseDouble(root.getAttribute("height"));
    }

    /** The elements matching {@code xpath}. */
    public List<Element> all(String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    /** How many elements match {@code xpath}. */
    public int count(String xpath) throws Exception {
        return all(xpath).size();
    }

    /** The text content of each element matching {@code xpath}. */
    public List<String> texts(String xpath) throws Exception {
        return all(xpath).stream().map(Element::getTextContent).toList();
    }

    /** The boxes of a graph drawing: every node's rectangle and every edge label's text. */
    public List<Box> graphBoxes() throws Exception {
        List<Box> boxes = new ArrayList<>();
        for (Element g : all("//g[@class='node']")) {
            Element r = (Element) g.getElementsByTagName("rect").item(0);
            boxes.add(new Box("node " + g.getAttribute("data-name"), num(r, "x"), num(r, "y"), num(r, "width"),
                    num(r, "height")));
        }
        for (Element t : all("//g[@class='edge-label']/text")) {
            double size = num(t, "font-size");
            double baseline = num(t, "y");
            boxes.add(new Box("label " + t.getTextContent(), num(t, "x"), baseline - 1.02 * size,
                    t.getTextContent().length() * MONO_EM * size, 1.3 * size));
        }
        return boxes;
    }

    /** Asserts that no two node or label boxes overlap and that all lie inside the picture. */
    public void assertNoOverlaps() throws Exception {
        List<Box> boxes = graphBoxes();
        for (int i = 0; i < boxes.size(); i++) {
            Box a = boxes.get(i);
            assertThat(a.x()).as("%s inside the picture", a).isGreaterThanOrEqualTo(0);
            assertThat(a.y()).as("%s inside the picture", a).isGreaterThanOrEqualTo(0);
            assertThat(a.x() + a.w()).as("%s inside the picture", a).isLessThanOrEqualTo(width);
            assertThat(a.y() + a.h()).as("%s inside the picture", a).isLessThanOrEqualTo(height);
            for (int j = i + 1; j < boxes.size(); j++) {
                assertThat(a.overlaps(boxes.get(j))).as("%s overlaps %s", a, boxes.get(j)).isFalse();
            }
        }
    }

    private static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }
}
