package io.orderbooks.support;

import io.orderbooks.shared.logging.LogFormat;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A service's effective configuration, derived from its {@code @ConfigMapping} interface rather than kept by hand:
 * every key of the mapping with the value the service runs with (docs/OPERATIONS.md "Reading the logs"). It is
 * logged once at start and written into the run manifest (docs/DATA-FORMAT.md §6).
 *
 * <p>The mapping interface is walked reflectively (each method is a key, named as SmallRye Config names it: kebab
 * case or {@code @WithName}; an interface-typed method is a group). For a native image the interface and its groups
 * must be registered for reflection ({@code @RegisterForReflection} on the mapping). Values are rendered from the
 * typed value ({@code Duration} as {@code PT1M}, a size in GiB as {@code 2.00GiB}, a list joined by commas, an unset
 * optional as {@code (unset)}), and a
 * secret (a key whose last part is or ends in {@code pass}, {@code password}, {@code secret} or {@code token}, or one
 * named by {@link #secret}) shows only {@code (set)} or {@code (unset)}.
 */
public final class EffectiveConfig {
    public static final String UNSET = "(unset)";
    public static final String SET = "(set)";
    private static final Pattern SECRET = Pattern.compile("(^|.*-)(pass|password|secret|token|credentials)$");

    private final Map<String, String> values = new TreeMap<>();
    private final Set<String> secrets = new HashSet<>();

    private EffectiveConfig() {}

    /** Every key of {@code mapping} (an instance of {@code type}, the {@code @ConfigMapping} interface). */
    public static <T> EffectiveConfig of(Class<T> type, T mapping) {
        ConfigMapping annotation = type.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(type.getName() + " is not a @ConfigMapping interface");
        }
        EffectiveConfig c = new EffectiveConfig();
        c.walk(annotation.prefix(), type, mapping);
        return c;
    }

    /** Marks a key secret: its value is never shown (keys that look like a secret are masked anyway). */
    public EffectiveConfig secret(String key) {
        secrets.add(key);
        String v = values.get(key);
        if (v != null && !v.equals(UNSET)) {
            values.put(key, SET);
        }
        return this;
    }

    /**
     * Adds or replaces one key: a setting outside the mapping ({@code data.dir}, a REST client's URL) or the value
     * a key resolved to ({@code <svc>.instance} from the host name). Taken as given, so never pass a secret here.
     */
    public EffectiveConfig with(String key, String value) {
        values.put(key, value == null ? UNSET : value);
        return this;
    }

    /** Sorted by key: what {@code LogFormat.configBlock} logs and the run manifest records. */
    public Map<String, String> asMap() {
        return new TreeMap<>(values);
    }

    /** Whether a key names a secret by its last part (so a new secret key is masked without anyone remembering). */
    public static boolean looksSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return SECRET.matcher(last).matches();
    }

    private void walk(String prefix, Class<?> type, Object group) {
        Method[] methods = type.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.getParameterCount() != 0
                    || m.isDefault()
                    || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class
                    || m.getReturnType() == void.class) {
                continue;
            }
            String key = m.isAnnotationPresent(WithParentName.class) ? prefix : join(prefix, name(m));
            Object value = invoke(m, group);
            Class<?> rt = m.getReturnType();
            if (isGroup(rt)) {
                walk(key, rt, value);
            } else if (secrets.contains(key) || looksSecret(key)) {
                values.put(key, isUnset(value) ? UNSET : SET);
            } else {
                values.put(key, render(value));
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static String name(Method m) {
        WithName withName = m.getAnnotation(WithName.class);
        return withName != null ? withName.value() : kebab(m.getName());
    }

    /** SmallRye Config's default naming: {@code maxRequestsPerSecond} is {@code max-requests-per-second}. */
    static String kebab(String method) {
        StringBuilder b = new StringBuilder(method.length() + 8);
        for (char c : method.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + m, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + m + ": " + e.getCause(), e.getCause());
        }
    }

    private static boolean isUnset(Object v) {
        return v == null
                || v instanceof Optional<?> o && o.isEmpty()
                || v instanceof OptionalInt i && i.isEmpty()
                || v instanceof OptionalLong l && l.isEmpty()
                || v instanceof OptionalDouble d && d.isEmpty()
                || v instanceof String s && s.isEmpty();
    }

    static String render(Object v) {
        if (v == null) {
            return UNSET;
        }
        return switch (v) {
            case Optional<?> o -> o.map(EffectiveConfig::render).orElse(UNSET);
            case OptionalInt i -> i.isPresent() ? Integer.toString(i.getAsInt()) : UNSET;
            case OptionalLong l -> l.isPresent() ? Long.toString(l.getAsLong()) : UNSET;
            case OptionalDouble d -> d.isPresent() ? Double.toString(d.getAsDouble()) : UNSET;
            case Collection<?> c -> c.stream().map(EffectiveConfig::render).collect(Collectors.joining(","));
            // One unit for sizes in every log line (docs/OPERATIONS.md "Reading the logs"): GiB, e.g. 2.00GiB.
            case MemorySize size -> LogFormat.gib(size.asLongValue());
            default -> v.toString();
        };
    }
}
