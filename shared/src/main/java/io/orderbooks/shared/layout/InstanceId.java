package io.orderbooks.shared.layout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The writer instance that owns a file ({@code vps1}); matches {@code [a-z0-9_-]+}. It must stay the same across
 * restarts, because a service recovers only the {@code .open} files of its own instance.
 */
public record InstanceId(String value) {
    public InstanceId {
        NamePart.require("instance id", NamePart.SLUG, value);
    }

    public static InstanceId of(String value) {
        return new InstanceId(value);
    }

    /** The default instance id: the host name, lower-cased, with every other character mapped to {@code -}. */
    public static InstanceId fromHostname() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return sanitised(host);
    }

    public static InstanceId sanitised(String raw) {
        String s = raw == null ? "" : raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        s = s.replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
        if (s.length() > 64) {
            s = s.substring(0, 64);
        }
        return new InstanceId(s.isEmpty() ? "local" : s);
    }

    @Override
    public String toString() {
        return value;
    }
}
