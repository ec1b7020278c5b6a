package dev.assay.cli.report;

import java.util.List;
import java.util.Locale;

/**
 * Writes SVG markup by hand, so a report needs no script library and no network. Coordinates are
 * printed with two decimals in the root locale; text is XML-escaped, so the output parses as XML.
 */
final class Svg {
    static final String FONT = "font-family=\"Helvetica,Arial,sans-serif\"";
    private final StringBuilder sb = new StringBuilder();
    private final double width;
    private final double height;

    Svg(double width, double height, String title) {
        this.width = width;
        this.height = height;
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(n(width)).append("\" height=\"")
                .append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ').append(n(height))
                .append("\" role=\"img\" ").append(FONT).append(" font-size=\"12\">");
        sb.append("<title>").append(escape(title)).append("</title>");
        sb.append("<rect x=\"0\" y=\"0\" width=\"").append(n(width)).append("\" height=\"").append(n(height)).append("\" fill=\"#ffffff\"/>");
    }

    double width() {
        return width;
    }

    double height() {
        return height;
    }

    Svg rect(double x, double y, double w, double h, String fill, String attrs) {
        sb.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(fill).append('"').append(sp(attrs)).append("/>");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double strokeWidth, String attrs) {
        sb.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(n(strokeWidth)).append('"').append(sp(attrs)).append("/>");
        return this;
    }

    Svg circle(double cx, double cy, double r, String fill, String attrs) {
        sb.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append('"').append(sp(attrs)).append("/>");
        return this;
    }

    Svg polyline(double[] xs, double[] ys, String stroke, String attrs) {
        sb.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"2\" points=\"");
        for (int i = 0; i < xs.length; i++) sb.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        sb.append('"').append(sp(attrs)).append("/>");
        return this;
    }

    /** A filled closed shape (a confidence band). */
    Svg polygon(double[] xs, double[] ys, String fill, String attrs) {
        sb.append("<polygon fill=\"").append(fill).append("\" stroke=\"none\" points=\"");
        for (int i = 0; i < xs.length; i++) sb.append(i == 0 ? "" : " ").append(n(xs[i])).append(',').append(n(ys[i]));
        sb.append('"').append(sp(attrs)).append("/>");
        return this;
    }

    /** anchor: start, middle or end. */
    Svg text(double x, double y, String text, String anchor, String attrs) {
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append('"').append(sp(attrs)).append('>').append(escape(text)).append("</text>");
        return this;
    }

    /** {@code shown} (a shortened {@code full}), with the full text as its tooltip when they differ. */
    Svg text(double x, double y, String shown, String full, String anchor, String attrs) {
        if (shown.equals(full)) return text(x, y, shown, anchor, attrs);
        sb.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" text-anchor=\"").append(anchor)
                .append('"').append(sp(attrs)).append("><title>").append(escape(full)).append("</title>").append(escape(shown)).append("</text>");
        return this;
    }

    /**
     * A chart's title, centred, shortened in the middle to fit {@code width} (bold 16 px runs about 9 px a
     * character) with the whole title as its tooltip: a long model path no longer runs off both sides.
     */
    Svg title(double width, String title, int fontSize) {
        int fits = (int) ((width - 20) / (fontSize * 0.58));
        String shown = title.length() <= fits ? title : BarChart.clipMiddle(title, fits);
        return text(width / 2, 24, shown, title, "middle", "font-size=\"" + fontSize + "\" font-weight=\"bold\" class=\"chart-title\"");
    }

    /** Text turned 90° anticlockwise about (x, y), for a vertical axis label. */
    Svg verticalText(double x, double y, String text) {
        return text(x, y, text, "middle", "transform=\"rotate(-90 " + n(x) + " " + n(y) + ")\" font-size=\"13\"");
    }

    /** A plot's area, in pixels. */
    record Plot(double left, double right, double top, double bottom) {
    }

    /**
     * The frame of an x–y chart: a horizontal grid line and label at each of {@code y}'s ticks, a vertical one at
     * each of {@code xTicks}, the two axes and their titles. What is drawn after it (a zero line, the data) lies on top.
     */
    Svg frame(Plot p, Axis x, List<Double> xTicks, Axis y, String xLabel, String yLabel) {
        for (double t : y.ticks()) {
            line(p.left(), y.map(t), p.right(), y.map(t), "#d0d4da", 1, null);
            text(p.left() - 6, y.map(t) + 4, y.label(t), "end", null);
        }
        for (double t : xTicks) {
            line(x.map(t), p.top(), x.map(t), p.bottom(), "#e3e6ea", 1, null);
            text(x.map(t), p.bottom() + 16, x.label(t), "middle", null);
        }
        line(p.left(), p.bottom(), p.right(), p.bottom(), "#333333", 1, null);
        line(p.left(), p.top(), p.left(), p.bottom(), "#333333", 1, null);
        text((p.left() + p.right()) / 2, p.bottom() + 40, xLabel, "middle", "font-size=\"13\"");
        return verticalText(22, (p.top() + p.bottom()) / 2, yLabel);
    }

    String end() {
        return sb + "</svg>";
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String sp(String attrs) {
        return attrs == null || attrs.isEmpty() ? "" : " " + attrs;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
