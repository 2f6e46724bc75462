package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.DataDir;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a writer's compressed bytes go: a new file, written sequentially and forced to disk on demand. The seam
 * exists so tests can inject the faults a real disk produces (ENOSPC, EIO) at a chosen byte.
 */
public interface FileSink extends Closeable {
    void write(byte[] b, int off, int len) throws IOException;

    /** fsync: data (and size) of everything written so far reaches stable storage. May run beside {@link #write}. */
    void force() throws IOException;

    /** Opens sinks; {@link #DISK} is the real one. */
    @FunctionalInterface
    interface Opener {
        FileSink create(Path path) throws IOException;
    }

    Opener DISK = ChannelSink::new;

    /** A file channel opened CREATE_NEW: a writer never appends to or truncates an existing file. */
    final class ChannelSink implements FileSink {
        private final FileChannel channel;

        ChannelSink(Path path) throws IOException {
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            DataDir.applyMode(path, DataDir.FILE_MODE);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
