package dev.assay.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON configuration for run files: stable key order; NaN is written as the string "NaN" and read back as NaN. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    /**
     * results.json's configuration: every number a JSON number, and a value that is not one (NaN, ±∞: a metric
     * with no values, an interval undefined at n = 1) is null, read back as NaN. Each metric and contrast with a
     * null says why in {@code null_reason}. (samples.jsonl keeps "NaN" strings: log schema 2.)
     */
    public static final ObjectMapper RESULTS = MAPPER.copy().registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("finite-or-null")
            .addSerializer(Double.class, new FiniteOrNull())
            .addSerializer(Double.TYPE, new FiniteOrNull())
            .addDeserializer(Double.class, new NullAsNaN())
            .addDeserializer(Double.TYPE, new NullAsNaN()));

    private static final class FiniteOrNull extends com.fasterxml.jackson.databind.ser.std.StdSerializer<Double> {
        FiniteOrNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, com.fasterxml.jackson.core.JsonGenerator g, com.fasterxml.jackson.databind.SerializerProvider p)
                throws java.io.IOException {
            if (v == null || !Double.isFinite(v)) g.writeNull();
            else g.writeNumber(v);
        }
    }

    private static final class NullAsNaN extends com.fasterxml.jackson.databind.deser.std.StdDeserializer<Double> {
        NullAsNaN() {
            super(Double.class);
        }

        @Override
        public Double deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext c)
                throws java.io.IOException {
            // Results written before: "NaN" strings; now numbers and nulls.
            if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) return Double.parseDouble(p.getText().strip());
            return p.getDoubleValue();
        }

        @Override
        public Double getNullValue(com.fasterxml.jackson.databind.DeserializationContext c) {
            return Double.NaN;
        }
    }

    private Json() {
    }
}
