package dev.lanner.hosting.config;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Binds configuration sections to typed objects, with reflection over the target type as .NET's
 * {@code ConfigurationBinder} does: the section's keys become a tree, and the tree is walked along the
 * type (record components, POJO setters and public fields, lists, arrays, maps, scalars). Behaviour is
 * documented on {@link Configuration#bind(String, Class)}.
 *
 * <p>Not through Jackson's databind (as until issue 16): building an {@code ObjectMapper} and its bean
 * deserializers cost ~200 ms of a 650 ms start, half of the work before the first request
 * (docs/decisions/015-start-up-without-databind.md). The walk itself is cheap; on a cold JVM the first
 * reflective call of each shape (a record's canonical constructor, an accessor) spins method-handle classes,
 * tens of milliseconds in all, which is why hosting's own options read their keys with
 * {@link Configuration#getValue} instead.
 */
final class ConfigurationBinder {

    private static final int MAX_VALUE_DISPLAY_LENGTH = 80;

    /** A property that has no base value (as opposed to a base value that is {@code null}). */
    private static final Object NO_BASE = new Object();

    private final Configuration section;
    private final Class<?> root;

    private ConfigurationBinder(Configuration section, Class<?> root) {
        this.section = section;
        this.root = root;
    }

    static <T> T bind(Configuration section, Class<T> type) {
        Objects.requireNonNull(type, "type");
        Node tree = tree(section);
        if (tree == null) {
            if (type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.")) {
                return null;
            }
            tree = new Node("");
        }
        @SuppressWarnings("unchecked")
        T value = (T) new ConfigurationBinder(section, type).value(type, tree, NO_BASE);
        return value;
    }

    /** The value of {@code section} (which exists) as the scalar {@code type}; see {@link Configuration#getValue}. */
    static <T> T scalar(Configuration section, Class<T> type) {
        if (!ConfigurationScalars.isScalar(type)) {
            throw new IllegalArgumentException(type.getName() + " is not a scalar type: bind sections with bind()");
        }
        @SuppressWarnings("unchecked")
        T result = (T) new ConfigurationBinder(section, type).scalar(type, tree(section));
        return result;
    }

    /** Throws when {@code section} is a non-empty value, not a section; see {@link Configuration#requireSection}. */
    static void requireSection(Configuration section, Class<?> type) {
        Node node = tree(section);
        if (node != null && node.children.isEmpty() && !node.value.isEmpty()) {
            throw new ConfigurationBinder(section, type).invalidValue(node, type);
        }
    }

    /** The section as a tree of names and values, or {@code null} when it does not exist. */
    private static Node tree(Configuration section) {
        Map<String, String> values = section.asMap();
        if (values.isEmpty()) {
            String own = section.value();
            if (own == null) {
                return null;
            }
            Node node = new Node("");
            node.value = own;
            return node;
        }
        Node root = new Node("");
        values.forEach((key, value) -> {
            Node node = root;
            for (String segment : key.split(String.valueOf(Configuration.KEY_DELIMITER), -1)) {
                Node child = node.children.get(segment);
                if (child == null) {
                    child = new Node(Configuration.combine(node.path, segment));
                    node.children.put(segment, child);
                }
                node = child;
            }
            node.value = value;
        });
        return root;
    }

    /** The value of {@code type} at {@code node}; {@code base} (or {@link #NO_BASE}) is laid under it. */
    private Object value(Type type, Node node, Object base) {
        Class<?> raw = rawClass(type);
        if (ConfigurationScalars.isScalar(raw)) {
            return scalar(raw, node);
        }
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            return collection(type, raw, node);
        }
        if (Map.class.isAssignableFrom(raw)) {
            return map(type, raw, node);
        }
        if (raw == Object.class) {
            return untyped(node);
        }
        if (node.children.isEmpty() && node.value != null) {
            if (node.value.isEmpty()) {
                // An empty value where a section belongs: "no section" (as JSON null is read).
                return null;
            }
            throw invalidValue(node, raw);
        }
        // A section, or (a missing one bound at the top) no keys at all: start from the defaults.
        Object start = base != NO_BASE && base != null ? base : defaults(raw);
        return raw.isRecord() ? record(raw, node, start) : pojo(raw, node, start);
    }

    private Object record(Class<?> type, Node node, Object base) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] arguments = new Object[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            parameterTypes[i] = component.getType();
            Node child = node.child(component.getName());
            Object componentBase = base == null ? NO_BASE : read(component.getAccessor(), base);
            arguments[i] = child != null ? value(component.getGenericType(), child, componentBase)
                    : componentBase != NO_BASE ? componentBase : absent(component.getType());
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.trySetAccessible();
            return constructor.newInstance(arguments);
        } catch (InvocationTargetException e) {
            throw invalidSection(node, type, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw invalidSection(node, type, e);
        }
    }

    /** A class with a no-argument constructor, bound through its setters and public fields. */
    private Object pojo(Class<?> type, Node node, Object base) {
        Object instance;
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.trySetAccessible();
            instance = constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw invalidSection(node, type, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw invalidSection(node, type, new IllegalArgumentException(
                    "a section binds to a record or to a class with a no-argument constructor", e));
        }
        List<Property> properties = Property.of(type);
        if (base != null) {
            for (Property property : properties) {
                if (property.getter != null) {
                    try {
                        property.set(instance, read(property.getter, base));
                    } catch (IllegalArgumentException e) {
                        throw invalidSection(node, type, e);
                    }
                }
            }
        }
        for (Property property : properties) {
            Node child = node.child(property.name);
            if (child != null) {
                Object propertyBase = base == null || property.getter == null ? NO_BASE : read(property.getter, base);
                Object value = value(property.type, child, propertyBase);
                try {
                    property.set(instance, value);
                } catch (IllegalArgumentException e) {
                    throw invalidSection(node, type, e);
                }
            }
        }
        return instance;
    }

    private Object collection(Type type, Class<?> raw, Node node) {
        Type elementType = raw.isArray() ? componentType(type) : typeArgument(type, 0);
        List<Object> elements = new ArrayList<>();
        if (node.children.isEmpty()) {
            if (node.value == null || node.value.isEmpty()) {
                return null;
            }
            // A single value where a list belongs is a list of one.
            elements.add(value(elementType, node, NO_BASE));
        } else if (node.isArray()) {
            for (Node child : node.children.values()) {
                elements.add(value(elementType, child, NO_BASE));
            }
        } else {
            throw invalidSection(node, raw, new IllegalArgumentException(
                    "expected a list (keys 0, 1, 2, ...), found " + String.join(", ", node.children.keySet())));
        }
        if (raw.isArray()) {
            Class<?> component = raw.getComponentType();
            Object array = Array.newInstance(component, elements.size());
            for (int i = 0; i < elements.size(); i++) {
                Object element = elements.get(i);
                if (element == null && component.isPrimitive()) {
                    element = absent(component);
                }
                Array.set(array, i, element);
            }
            return array;
        }
        if (SortedSet.class.isAssignableFrom(raw)) {
            return new TreeSet<>(elements);
        }
        if (Set.class.isAssignableFrom(raw)) {
            return new LinkedHashSet<>(elements);
        }
        return elements;
    }

    private Object map(Type type, Class<?> raw, Node node) {
        if (node.children.isEmpty()) {
            if (node.value == null || node.value.isEmpty()) {
                return null;
            }
            throw invalidValue(node, raw);
        }
        Class<?> keyType = rawClass(typeArgument(type, 0));
        Type valueType = typeArgument(type, 1);
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, Node> child : node.children.entrySet()) {
            Object key = keyType == Object.class || keyType == String.class ? child.getKey() : scalarKey(keyType, child.getValue());
            map.put(key, value(valueType, child.getValue(), NO_BASE));
        }
        return map;
    }

    private Object scalarKey(Class<?> keyType, Node child) {
        Node name = new Node(child.path);
        name.value = child.path.substring(child.path.lastIndexOf(Configuration.KEY_DELIMITER) + 1);
        return scalar(keyType, name);
    }

    /** An {@code Object} property: a string, a list or a map of strings. */
    private Object untyped(Node node) {
        if (node.children.isEmpty()) {
            return node.value;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.children.values().forEach(child -> list.add(untyped(child)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        node.children.forEach((name, child) -> map.put(name, untyped(child)));
        return map;
    }

    private Object scalar(Class<?> type, Node node) {
        if (!node.children.isEmpty()) {
            throw invalidValue(node, type);
        }
        String text = node.value == null ? "" : node.value;
        if (type == String.class || type == CharSequence.class) {
            return text;
        }
        String value = text.strip();
        if (value.isEmpty()) {
            // An empty value is "not set": null, or zero for a primitive.
            return type.isPrimitive() ? absent(type) : null;
        }
        try {
            Object converted = ConfigurationScalars.convert(type, value);
            if (converted != null) {
                return converted;
            }
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            // reported below, with the value's source
        }
        throw invalidValue(node, type);
    }

    /** What an absent property of {@code type} is: its {@code defaults()}, zero for a primitive, or null. */
    private static Object absent(Class<?> type) {
        if (type.isPrimitive()) {
            return ConfigurationScalars.zero(type);
        }
        return ConfigurationScalars.isScalar(type) || type.getName().startsWith("java.") ? null : defaults(type);
    }

    /** What {@code public static T defaults()} of {@code type} returns, or {@code null} when it has none. */
    private static Object defaults(Class<?> type) {
        Method method = defaultsMethod(type);
        if (method == null) {
            return null;
        }
        try {
            return method.invoke(null);
        } catch (InvocationTargetException e) {
            throw new ConfigurationException(type.getSimpleName() + ".defaults() failed: " + e.getCause(), null, null,
                    e.getCause());
        } catch (IllegalAccessException e) {
            throw new ConfigurationException(type.getSimpleName() + ".defaults() is not accessible: " + e.getMessage(),
                    null, null, e);
        }
    }

    /** The {@code public static T defaults()} method of {@code type}, or {@code null}. */
    static Method defaultsMethod(Class<?> type) {
        try {
            Method method = type.getMethod("defaults");
            if (Modifier.isStatic(method.getModifiers()) && type.isAssignableFrom(method.getReturnType())) {
                // Needed when the type is not public, e.g. a package-private options record.
                method.trySetAccessible();
                return method;
            }
        } catch (NoSuchMethodException e) {
            // No defaults() convention: bound like any other type.
        }
        return null;
    }

    private static Object read(Method getter, Object target) {
        try {
            getter.trySetAccessible();
            return getter.invoke(target);
        } catch (InvocationTargetException e) {
            throw new ConfigurationException(getter.getDeclaringClass().getSimpleName() + "." + getter.getName()
                    + "() failed: " + e.getCause(), null, null, e.getCause());
        } catch (IllegalAccessException e) {
            throw new ConfigurationException(getter.getDeclaringClass().getSimpleName() + "." + getter.getName()
                    + "() is not accessible: " + e.getMessage(), null, null, e);
        }
    }

    // --- Types -----------------------------------------------------------------------------------

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (type instanceof GenericArrayType a) {
            return Array.newInstance(rawClass(a.getGenericComponentType()), 0).getClass();
        }
        if (type instanceof WildcardType w) {
            return rawClass(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return rawClass(v.getBounds()[0]);
        }
        return Object.class;
    }

    private static Type componentType(Type arrayType) {
        return arrayType instanceof GenericArrayType a ? a.getGenericComponentType() : rawClass(arrayType).getComponentType();
    }

    /** The {@code index}th type argument of a parameterized type, {@code Object} for a raw one. */
    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > index) {
            return p.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    // --- Errors ----------------------------------------------------------------------------------

    /** A value (or a section where a value belongs) that is not a {@code target}. */
    private ConfigurationException invalidValue(Node node, Class<?> target) {
        String key = fullKey(node);
        String expected = "(expected type " + target.getSimpleName() + ")";
        ConfigurationEntry entry = section.entryAt(key);
        if (entry != null && node.children.isEmpty()) {
            return new ConfigurationException("Invalid configuration value in " + entry.source() + ": '"
                    + entry.key() + "' = \"" + display(entry.value()) + "\" is not " + ConfigurationScalars.expectation(target)
                    + " " + expected, entry.key(), entry.source());
        }
        ConfigurationEntry below = section.firstEntryBelow(key);
        if (below != null) {
            String displayKey = below.key().substring(0, key.length());
            return new ConfigurationException("Invalid configuration value in " + below.source() + ": '"
                    + displayKey + "' is a section, not " + ConfigurationScalars.expectation(target) + " " + expected,
                    displayKey, below.source());
        }
        return new ConfigurationException("Invalid configuration value for '" + key + "': not "
                + ConfigurationScalars.expectation(target) + " " + expected, key, null);
    }

    /** A section that cannot become a {@code type}, e.g. because its constructor rejected the values. */
    private ConfigurationException invalidSection(Node node, Class<?> type, Throwable reason) {
        return invalidSection(section, type, root, fullKey(node), reason);
    }

    /** The section at {@code key} (full) could not become a {@code type}, bound as part of a {@code root}. */
    static ConfigurationException invalidSection(Configuration configuration, Class<?> type, Class<?> root, String key,
                                                 Throwable reason) {
        ConfigurationEntry below = configuration.firstEntryBelow(key);
        String source = below == null ? null : below.source();
        String detail = reason.getMessage() != null ? reason.getMessage() : reason.toString();
        return new ConfigurationException("Invalid configuration section '" + key + "' for type "
                + (type == root ? type.getSimpleName() : type.getSimpleName() + " (in " + root.getSimpleName() + ")")
                + ": " + detail, key, source, reason);
    }

    private String fullKey(Node node) {
        return node.path.isEmpty() ? section.path() : Configuration.combine(section.path(), node.path);
    }

    /** The value as it may appear in a one-line message: escaped and shortened. */
    private static String display(String value) {
        String escaped = value.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return escaped.length() <= MAX_VALUE_DISPLAY_LENGTH
                ? escaped : escaped.substring(0, MAX_VALUE_DISPLAY_LENGTH) + "...";
    }

    /** A node of the section tree: a value, children, or (for a key with both) both. */
    private static final class Node {
        /** The key relative to the bound section, as the configuration spells it. */
        final String path;
        String value;
        final TreeMap<String, Node> children = new TreeMap<>(Configuration.CHILD_ORDER);

        Node(String path) {
            this.path = path;
        }

        /** The child named {@code name}, case-insensitively (the children's order ignores case). */
        Node child(String name) {
            return children.get(name);
        }

        /** Whether the children are exactly {@code 0..n-1}. */
        boolean isArray() {
            int index = 0;
            for (String name : children.keySet()) {
                if (!name.equals(Integer.toString(index++))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A settable property of a POJO: a {@code setX} method (with its getter, if any) or a public field. */
    private record Property(String name, Type type, Method setter, Field field, Method getter) {

        static List<Property> of(Class<?> type) {
            Map<String, Property> properties = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Field field : type.getFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers)) {
                    properties.put(field.getName(), new Property(field.getName(), field.getGenericType(), null, field, null));
                }
            }
            for (Method method : type.getMethods()) {
                String name = method.getName();
                if (name.length() > 3 && name.startsWith("set") && method.getParameterCount() == 1
                        && !Modifier.isStatic(method.getModifiers())) {
                    String property = Character.toLowerCase(name.charAt(3)) + name.substring(4);
                    properties.put(property, new Property(property, method.getGenericParameterTypes()[0], method,
                            null, getter(type, name.substring(3), method.getParameterTypes()[0])));
                }
            }
            return List.copyOf(properties.values());
        }

        private static Method getter(Class<?> type, String suffix, Class<?> propertyType) {
            for (String prefix : propertyType == boolean.class ? List.of("is", "get") : List.of("get")) {
                try {
                    Method getter = type.getMethod(prefix + suffix);
                    if (getter.getReturnType() == propertyType) {
                        return getter;
                    }
                } catch (NoSuchMethodException e) {
                    // no getter of this spelling
                }
            }
            return null;
        }

        void set(Object target, Object value) {
            try {
                if (setter != null) {
                    if (value == null && setter.getParameterTypes()[0].isPrimitive()) {
                        return;
                    }
                    setter.trySetAccessible();
                    setter.invoke(target, value);
                } else if (value != null || !field.getType().isPrimitive()) {
                    field.set(target, value);
                }
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException(name + ": " + e.getCause().getMessage(), e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException(name + " is not accessible: " + e.getMessage(), e);
            }
        }
    }
}
