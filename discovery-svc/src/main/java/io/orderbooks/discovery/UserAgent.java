package io.orderbooks.discovery;

import org.eclipse.microprofile.config.ConfigProvider;

/** The User-Agent sent to Gamma: who we are and that we only read (Cloudflare filters anonymous agents). */
public final class UserAgent {
    private UserAgent() {
    }

    public static String value() {
        String version = ConfigProvider.getConfig().getOptionalValue("quarkus.application.version", String.class)
                .orElse("unknown");
        return "orderbooks-discovery/" + version + " (+read-only market-data recorder)";
    }
}
