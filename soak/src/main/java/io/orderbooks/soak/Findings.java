package io.orderbooks.soak;

import java.util.ArrayList;
import java.util.List;

/** What the checks found, in the order they found it: failures (each under its criterion) and notes. */
public final class Findings {
    /** One failure line of the verdict. */
    public record Failure(Criterion criterion, String message) {}

    private final List<Failure> failures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void fail(Criterion c, String message) {
        failures.add(new Failure(c, message));
    }

    public void note(String note) {
        notes.add(note);
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public boolean pass() {
        return failures.isEmpty();
    }
}
