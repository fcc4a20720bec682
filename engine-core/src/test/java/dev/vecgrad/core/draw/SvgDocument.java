package dev.vecgrad.core.draw;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** An SVG document parsed as XML (which fails on anything malformed), queried with XPath. */
final class SvgDocument {
    private final Document doc;

    SvgDocument(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(false);
        doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    NodeList all(String xpath) throws Exception {
        return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
    }

    int count(String xpath) throws Exception {
        return all(xpath).getLength();
    }

    String rootName() {
        return doc.getDocumentElement().getNodeName();
    }
}
