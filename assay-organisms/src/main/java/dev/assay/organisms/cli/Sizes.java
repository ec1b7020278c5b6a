package dev.assay.organisms.cli;

import dev.assay.AssayException;
import dev.assay.organisms.model.Shape;

import java.util.ArrayList;
import java.util.List;

/** Organism sizes on the command line: "small", "medium", "tiny", or LAYERSxWIDTH ("3x160"). */
final class Sizes {
    private Sizes() {
    }

    /** A shape of {@code layers} × {@code width}: heads of 32 dimensions (16 below width 64), ffn 3 × width, 256 positions. */
    static Shape shape(String option, int layers, int width, int context) {
        if (layers < 1 || layers > 32) throw new AssayException(option + ": layers " + layers + " must be 1–32");
        if (width < 16 || width > 2048 || width % 16 != 0) throw new AssayException(option + ": width " + width + " must be a multiple of 16, 16–2048");
        int headDim = width >= 64 ? 32 : 16;
        try {
            return new Shape(layers, width, width / headDim, 3 * width, context);
        } catch (IllegalArgumentException e) {
            throw new AssayException(option + ": " + e.getMessage());
        }
    }

    static Shape parse(String option, String spec) {
        return switch (spec) {
            case "small" -> Shape.small();
            case "medium" -> Shape.medium();
            case "tiny" -> Shape.tiny();
            default -> {
                String[] p = spec.split("x");
                if (p.length != 2) throw new AssayException(option + " '" + spec + "': expected small, medium, tiny or LAYERSxWIDTH (e.g. 2x128)");
                try {
                    yield shape(option + " '" + spec + "'", Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip()), 256);
                } catch (NumberFormatException e) {
                    throw new AssayException(option + " '" + spec + "': expected small, medium, tiny or LAYERSxWIDTH (e.g. 2x128)");
                }
            }
        };
    }

    static String label(Shape s) {
        return s.layers() + "x" + s.width();
    }

    static List<Integer> ints(String option, String spec, int min) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            try {
                int v = Integer.parseInt(part.strip());
                if (v < min) throw new AssayException(option + " '" + spec + "': " + v + " is below " + min);
                out.add(v);
            } catch (NumberFormatException e) {
                throw new AssayException(option + " '" + spec + "': '" + part.strip() + "' is not a whole number (expected e.g. 0,50,100)");
            }
        }
        if (out.isEmpty()) throw new AssayException(option + ": give at least one value");
        return out;
    }
}
