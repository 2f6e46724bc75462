package io.orderbooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes expands {@code $(NAME)} in an env value from the ConfigMap's keys ({@code envFrom}) and the variables
 * defined before it in {@code env}; an unknown name is left in the value as it is, silently. So every reference must
 * name one of those.
 */
final class EnvReferences {
    private static final Pattern REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private EnvReferences() {}

    /** Asserts that every reference of the containers resolves; returns how many there are. */
    static int assertResolved(Collection<Container> containers, Set<String> configKeys) {
        int refs = 0;
        for (Container c : containers) {
            Set<String> defined = new HashSet<>(configKeys);
            for (EnvVar e : c.getEnv()) {
                if (e.getValue() != null) {
                    Matcher m = REF.matcher(e.getValue());
                    while (m.find()) {
                        assertThat(defined).as(c.getName() + " " + e.getName()).contains(m.group(1));
                        refs++;
                    }
                }
                defined.add(e.getName());
            }
        }
        return refs;
    }
}
