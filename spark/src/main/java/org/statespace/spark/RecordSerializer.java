package org.statespace.spark;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import org.apache.spark.serializer.KryoRegistrator;

/**
 * Moves Java records through Spark's Kryo serializer, which predates records and cannot set their final
 * fields: a record is written as its components (each with its class) and rebuilt through its canonical
 * constructor, so its own validation runs again on arrival. {@link Registrator} installs it for every
 * record class; the session options in {@link SparkMain} name it.
 */
public final class RecordSerializer extends Serializer<Record> {

    @Override
    public void write(Kryo kryo, Output output, Record record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                kryo.writeClassAndObject(output, c.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + record.getClass().getName() + "." + c.getName(), e);
            }
        }
    }

    @Override
    public Record read(Kryo kryo, Input input, Class<Record> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = kryo.readClassAndObject(input);
            types[i] = components[i].getType();
        }
        try {
            Constructor<Record> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild a " + type.getName(), e);
        }
    }

    /**
     * Registers the serializer for every record class (a Kryo default serializer applies to subclasses),
     * and serializers for the JDK's unmodifiable lists, sets and maps ({@code List.of}, {@code List.copyOf},
     * {@code Arrays.asList}, ...), which Kryo 4 would try to fill through {@code add}.
     */
    public static final class Registrator implements KryoRegistrator {
        @Override
        public void registerClasses(Kryo kryo) {
            kryo.addDefaultSerializer(Record.class, new RecordSerializer());
            ElementsSerializer<List<Object>> lists = new ElementsSerializer<>(java.util.Collections::unmodifiableList);
            for (Object o : new Object[] {List.of(), List.of(1), List.of(1, 2, 3), java.util.Arrays.asList(1, 2),
                List.of(1, 2).subList(0, 1), java.util.Collections.unmodifiableList(new java.util.ArrayList<>()),
                java.util.Collections.unmodifiableList(new java.util.LinkedList<>()), java.util.Collections.emptyList(),
                java.util.Collections.singletonList(1), java.util.stream.Stream.of(1).toList()}) {
                kryo.register(o.getClass(), lists);
            }
            MapSerializer maps = new MapSerializer();
            for (Object o : new Object[] {Map.of(), Map.of(1, 1), Map.of(1, 1, 2, 2),
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>()), java.util.Collections.emptyMap(),
                java.util.Collections.singletonMap(1, 1)}) {
                kryo.register(o.getClass(), maps);
            }
            ElementsSerializer<Set<Object>> sets = new ElementsSerializer<>(
                    e -> java.util.Collections.unmodifiableSet(new LinkedHashSet<>(e)));
            for (Object o : new Object[] {Set.of(), Set.of(1), Set.of(1, 2, 3),
                java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>()), java.util.Collections.emptySet(),
                java.util.Collections.singleton(1)}) {
                kryo.register(o.getClass(), sets);
            }
        }
    }

    /**
     * An unmodifiable list or set, written as its elements and read back, in order, as an unmodifiable copy
     * ({@code finish} makes it from the elements).
     */
    static final class ElementsSerializer<C extends java.util.Collection<Object>> extends Serializer<C> {
        private final java.util.function.Function<List<Object>, C> finish;

        ElementsSerializer(java.util.function.Function<List<Object>, C> finish) {
            this.finish = finish;
        }

        @Override
        public void write(Kryo kryo, Output output, C elements) {
            output.writeInt(elements.size(), true);
            for (Object o : elements) {
                kryo.writeClassAndObject(output, o);
            }
        }

        @Override
        public C read(Kryo kryo, Input input, Class<C> type) {
            int n = input.readInt(true);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(kryo.readClassAndObject(input));
            }
            return finish.apply(out);
        }
    }

    /** An unmodifiable map, written as its entries and read back in their order. */
    static final class MapSerializer extends Serializer<Map<Object, Object>> {
        @Override
        public void write(Kryo kryo, Output output, Map<Object, Object> map) {
            output.writeInt(map.size(), true);
            for (Map.Entry<Object, Object> e : map.entrySet()) {
                kryo.writeClassAndObject(output, e.getKey());
                kryo.writeClassAndObject(output, e.getValue());
            }
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<Map<Object, Object>> type) {
            int n = input.readInt(true);
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                Object k = kryo.readClassAndObject(input);
                out.put(k, kryo.readClassAndObject(input));
            }
            return java.util.Collections.unmodifiableMap(out);
        }
    }
}
