package io.orderbooks.offload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rc API's password: {@code offload.rclone-pass} when set, otherwise the first line of
 * {@code offload.rclone-pass-file} (compose: the password the {@code init} service generated, docs/OPERATIONS.md
 * §4.2). It must not be a placeholder (issue 13 item 8): rclone would accept it, and anyone on the compose network
 * could drive the Drive token. An empty password is left alone: it is only usable against an
 * {@code rclone rcd --rc-no-auth} started by hand, and then no password is in play at all.
 */
public final class RcPassword {
    static final Set<String> PLACEHOLDERS = Set.of("change-me", "changeme", "change_me", "password", "secret");

    /** The password, or why it cannot be used. */
    public record Resolved(String password, Optional<String> problem) {
        static Resolved ok(String password) {
            return new Resolved(password, Optional.empty());
        }

        static Resolved refused(String reason) {
            return new Resolved("", Optional.of(reason));
        }

        /** For the start-up configuration: never the password itself. */
        public String describe(Optional<Path> file, String configured) {
            if (!configured.isEmpty()) {
                return "(set)";
            }
            return file.map(f -> password.isEmpty() ? "(empty)" : "(from " + f + ")")
                    .orElse("(empty)");
        }
    }

    private RcPassword() {}

    /** The configured password wins; an empty one falls back to the file (a missing or unreadable file is refused). */
    public static Resolved resolve(String configured, Optional<Path> file) {
        String password = configured == null ? "" : configured;
        if (password.isEmpty() && file.isPresent()) {
            try {
                password = Files.readString(file.get(), StandardCharsets.UTF_8)
                        .lines()
                        .findFirst()
                        .orElse("")
                        .trim();
            } catch (IOException e) {
                return Resolved.refused("offload.rclone-pass is empty and offload.rclone-pass-file " + file.get()
                        + " cannot be read (" + e.getClass().getSimpleName()
                        + "): with compose, the init service writes"
                        + " it at every `up` (docs/OPERATIONS.md §4.2)");
            }
            if (password.isEmpty()) {
                return Resolved.refused(
                        "offload.rclone-pass is empty and offload.rclone-pass-file " + file.get() + " is empty");
            }
        }
        return problem(password).map(Resolved::refused).orElse(Resolved.ok(password));
    }

    /** The reason to refuse, or empty when the password may be used. */
    public static Optional<String> problem(String password) {
        if (password != null && PLACEHOLDERS.contains(password.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("offload.rclone-pass (RCLONE_RC_PASS) is the placeholder '" + password.trim()
                    + "': choose your own in .env, e.g. `openssl rand -hex 16`, or leave it empty for a generated one"
                    + " (docs/OPERATIONS.md §4.2)");
        }
        return Optional.empty();
    }
}
