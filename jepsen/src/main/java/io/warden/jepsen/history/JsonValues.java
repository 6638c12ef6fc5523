package io.warden.jepsen.history;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values an {@link Op} may carry: what JSON and EDN both express. {@code null}, {@link Boolean},
 * {@link String}, {@link Long} (every integral number is widened to it), {@link Double} (other
 * numbers), {@link List} of values, and {@link Map} from {@link String} to values. Normal forms are
 * unmodifiable and compare with {@code equals}, so {@code 1} read back from a file equals
 * {@code 1L} written by the recorder.
 */
public final class JsonValues {
    private JsonValues() {}

    /**
     * The normal form of {@code value}; throws {@link IllegalArgumentException} for anything else
     * (or an integer beyond the range of a long).
     */
    public static Object normalize(Object value) {
        if (value == null || value instanceof Boolean || value instanceof String || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b) {
            try {
                return b.longValueExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("integer out of range: " + b, e);
            }
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(normalize(element));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new IllegalArgumentException("map keys must be strings: " + e.getKey());
                }
                copy.put(k, normalize(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
}
