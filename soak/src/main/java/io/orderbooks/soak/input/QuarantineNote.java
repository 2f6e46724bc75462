package io.orderbooks.soak.input;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code quarantine/….note.json}: which file was moved aside and why (docs/DATA-FORMAT.md). */
public record QuarantineNote(String original, String reason) {
    public static QuarantineNote read(Path p) throws IOException {
        QuarantineNote n = Inputs.json(p, QuarantineNote.class);
        return n == null ? new QuarantineNote(null, null) : n;
    }
}
