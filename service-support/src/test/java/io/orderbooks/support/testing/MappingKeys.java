package io.orderbooks.support.testing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key of a {@code @ConfigMapping} as SmallRye Config itself lists them, groups and indexed forms left out: the oracle against
 * which a service's effective configuration is checked complete (it does not use {@code EffectiveConfig}'s walk).
 */
public final class MappingKeys {
    private MappingKeys() {}

    public static Set<String> of(Class<?> mapping) {
        String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
        Set<String> keys = new TreeSet<>();
        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, prefix))
                .forEach((k, p) -> {
                    // A list is one key; SmallRye also lists its indexed form (tag-ids[*]).
                    if (!p.isGroup() && !k.endsWith("[*]")) {
                        keys.add(k);
                    }
                });
        return keys;
    }
}
