package io.orderbooks.shared.manifests;

import java.io.IOException;
import java.util.List;

/** A tokens.json that cannot be trusted; {@link #problems()} lists why (the message shows the first few). */
public final class InvalidTokensFileException extends IOException {
    private final List<String> problems;

    public InvalidTokensFileException(String what, List<String> problems) {
        super(what + ": " + summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        int shown = Math.min(5, problems.size());
        String head = String.join("; ", problems.subList(0, shown));
        return problems.size() > shown ? head + "; and " + (problems.size() - shown) + " more" : head;
    }
}
