package io.orderbooks.support;

import java.util.Locale;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The User-Agent every service sends upstream (REST and websocket): who we are and that we only read. Cloudflare,
 * in front of Polymarket, filters anonymous agents. {@code orderbooks-collector/0.1.0 (+read-only market-data
 * recorder)}, from {@code quarkus.application.name} and {@code quarkus.application.version}. A REST client sends it
 * with {@code @ClientHeaderParam(name = "User-Agent", value = "{io.orderbooks.support.UserAgent.value}")}.
 */
public final class UserAgent {
    static final String COMMENT = "(+read-only market-data recorder)";

    private UserAgent() {}

    /** This application's agent, from its configuration. */
    public static String value() {
        var config = ConfigProvider.getConfig();
        return of(
                config.getOptionalValue("quarkus.application.name", String.class)
                        .orElse("orderbooks"),
                config.getOptionalValue("quarkus.application.version", String.class)
                        .orElse("unknown"));
    }

    /** {@code collector-svc}, {@code 0.1.0} give {@code orderbooks-collector/0.1.0 (+read-only market-data recorder)}. */
    public static String of(String application, String version) {
        String product =
                application.toLowerCase(Locale.ROOT).replaceAll("-svc$", "").replaceAll("[^a-z0-9-]", "-");
        if (!product.startsWith("orderbooks")) {
            product = "orderbooks-" + product;
        }
        String v = version == null || version.isBlank()
                ? "unknown"
                : version.trim().replaceAll("\\s", "_");
        return product + "/" + v + " " + COMMENT;
    }
}
