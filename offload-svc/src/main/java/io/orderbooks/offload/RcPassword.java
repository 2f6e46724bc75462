package io.orderbooks.offload;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The rc API's password must not be the placeholder of .env.example (issue 13 item 8): rclone would accept it, and
 * anyone on the compose network could drive the Drive token. An empty password is left alone: it is only usable
 * against an {@code rclone rcd --rc-no-auth} started by hand, and then no password is in play at all.
 */
public final class RcPassword {
    static final Set<String> PLACEHOLDERS = Set.of("change-me", "changeme", "change_me", "password", "secret");

    private RcPassword() {
    }

    /** The reason to refuse, or empty when the password may be used. */
    public static Optional<String> problem(String password) {
        if (password != null && PLACEHOLDERS.contains(password.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of("offload.rclone-pass (RCLONE_RC_PASS) is the placeholder '" + password.trim()
                    + "': choose your own in .env, e.g. `openssl rand -hex 16` (docs/OPERATIONS.md)");
        }
        return Optional.empty();
    }
}
