package io.orderbooks.shared.files;

import io.orderbooks.shared.layout.DataDir;
import io.orderbooks.shared.layout.InstanceId;
import io.orderbooks.shared.layout.StreamName;
import io.orderbooks.shared.manifests.WriterInfo;
import io.orderbooks.shared.testing.SampleLines;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The child process of {@link CrashRecoveryTest}: appends records at a steady rate through the real writer and
 * reports each appended sequence number on stdout, until it is killed.
 */
public final class CrashWriterMain {
    public static void main(String[] args) throws Exception {
        DataDir dir = DataDir.of(Path.of(args[0]));
        int perSecond = Integer.parseInt(args[1]);
        Duration flush = Duration.ofMillis(Long.parseLong(args[2]));
        Duration readable = Duration.ofMillis(Long.parseLong(args[3]));
        InstanceId instance = InstanceId.of("crash");
        WriterInfo info = new WriterInfo("crash-child", "test", instance, "child-run");
        RotatingJsonlWriter w = RotatingJsonlWriter.open(
                dir,
                WriterConfig.defaults(StreamName.WS_MARKET, instance)
                        .withFlushInterval(flush)
                        .withReadableWithin(readable),
                info,
                Clock.systemUTC());
        long periodNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        for (long seq = 0; ; seq++) {
            long recvUs = Math.multiplyExact(System.currentTimeMillis(), 1000L) + (System.nanoTime() / 1000) % 1000;
            w.append(SampleLines.wsPriceChange(recvUs, "ws-0.0", seq));
            System.out.println("w " + seq);
            System.out.flush();
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
    }
}
