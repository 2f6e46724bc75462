package io.orderbooks.replay;

/**
 * Walks a command line of {@code --name value} and {@code --name=value} arguments: replay's, export's and the
 * report's options (docs/REPLAY.md, docs/EXPORT.md, docs/REPORT.md) are read the same way, with the same errors.
 */
public final class Args {
    private final String[] args;
    private int i = -1;
    private String name;
    private String inline;

    public Args(String[] args) {
        this.args = args;
    }

    /** Moves to the next argument; false at the end. */
    public boolean next() {
        if (++i >= args.length) {
            return false;
        }
        String arg = args[i];
        int eq = arg.indexOf('=');
        boolean split = arg.startsWith("--") && eq > 0;
        name = split ? arg.substring(0, eq) : arg;
        inline = split ? arg.substring(eq + 1) : null;
        return true;
    }

    /** The option's name, e.g. {@code --from} (without an {@code =value}). */
    public String name() {
        return name;
    }

    /** The argument as given, for messages. */
    public String raw() {
        return args[i];
    }

    /** For a flag: refuses {@code --flag=value}. */
    public void noValue() throws UsageException {
        if (inline != null) {
            throw new UsageException(name + " takes no value");
        }
    }

    /** The option's value: after {@code =}, or the next argument (not another option); never blank. */
    public String value() throws UsageException {
        String value = inline;
        if (value == null) {
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new UsageException(name + " needs a value");
            }
            value = args[++i];
        }
        if (value.isBlank()) {
            throw new UsageException(name + " needs a value");
        }
        return value;
    }
}
