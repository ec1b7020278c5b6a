package dev.assay.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A typed slot in a sample's store (its transcript's output), named as it is written to the log. The
 * reader turns what is stored back into a {@code T} whether the value was just put by a solver or read
 * back from a run log by re-scoring (where a number may come back as an Integer or the string "NaN"),
 * so no scorer casts or re-parses.
 */
public record Key<T>(String name, Function<Object, T> reader) {

    public T read(Object stored) {
        return stored == null ? null : reader.apply(stored);
    }

    public static Key<String> text(String name) {
        return new Key<>(name, Object::toString);
    }

    public static Key<Integer> index(String name) {
        return new Key<>(name, o -> o instanceof Number n ? n.intValue() : Integer.parseInt(o.toString()));
    }

    public static Key<Double> number(String name) {
        return new Key<>(name, Key::toDouble);
    }

    public static Key<Boolean> flag(String name) {
        return new Key<>(name, o -> o instanceof Boolean b ? b : Boolean.parseBoolean(o.toString()));
    }

    /** A list of numbers; NaN survives the log (written as "NaN"). */
    public static Key<List<Double>> numbers(String name) {
        return new Key<>(name, o -> {
            if (!(o instanceof List<?> l)) throw new IllegalArgumentException(name + " is not a list: " + o);
            List<Double> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(toDouble(x));
            return out;
        });
    }

    /** A list of lists of numbers (one list per sub-question). */
    public static Key<List<List<Double>>> numberLists(String name) {
        Key<List<Double>> one = numbers(name);
        return new Key<>(name, o -> {
            if (!(o instanceof List<?> l)) throw new IllegalArgumentException(name + " is not a list: " + o);
            List<List<Double>> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(x == null ? null : one.read(x));
            return out;
        });
    }

    public static Key<List<String>> texts(String name) {
        return new Key<>(name, o -> {
            if (!(o instanceof List<?> l)) throw new IllegalArgumentException(name + " is not a list: " + o);
            return l.stream().map(x -> x == null ? null : x.toString()).toList();
        });
    }

    /** A value kept as the log gives it (nested lists and maps of numbers and text). */
    public static Key<Object> value(String name) {
        return new Key<>(name, o -> o);
    }

    private static double toDouble(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.parseDouble(o.toString());
    }

    /** Reads a list of numbers as an array (null if absent): what metric code works with. */
    public static double[] array(List<Double> xs) {
        if (xs == null) return null;
        double[] out = new double[xs.size()];
        for (int i = 0; i < out.length; i++) out[i] = xs.get(i);
        return out;
    }
}
