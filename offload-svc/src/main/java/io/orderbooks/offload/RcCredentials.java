package io.orderbooks.offload;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The rc API's credentials, resolved once per process ({@link RcPassword}: the configured password, else the first
 * line of the password file): the lifecycle refuses to start on {@link #problem()}, the REST client sends
 * {@link #basicAuth()}, the effective configuration shows {@link #describe()}. A generated password file only changes
 * with a new {@code up}, which restarts this service too (docs/OPERATIONS.md §4.2).
 */
@ApplicationScoped
public class RcCredentials {
    @Inject
    OffloadConfig config;

    private volatile RcPassword.Resolved resolved;

    private RcPassword.Resolved resolved() {
        RcPassword.Resolved r = resolved;
        if (r == null) {
            r = RcPassword.resolve(configured(), config.rclonePassFile());
            resolved = r;
        }
        return r;
    }

    private String configured() {
        return config.rclonePass().orElse("");
    }

    /** Why the password cannot be used (a placeholder, an unreadable file), or empty. */
    public Optional<String> problem() {
        return resolved().problem();
    }

    /** The {@code Authorization} header value of HTTP basic auth ({@code rclone rcd --rc-user/--rc-pass}). */
    public String basicAuth() {
        String token = config.rcloneUser() + ":" + resolved().password();
        return "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    /** For the effective configuration: where the password came from, never the password. */
    public String describe() {
        return resolved().describe(config.rclonePassFile(), configured());
    }
}
