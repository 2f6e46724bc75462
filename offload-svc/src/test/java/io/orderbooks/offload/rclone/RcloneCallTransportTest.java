package io.orderbooks.offload.rclone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderbooks.offload.Failure;
import io.vertx.core.http.HttpClosedException;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * Every way the REST client reports that rclone went away must read as "rclone unreachable", which stops the run,
 * and never as one file's remote error, which would go on to the next file against a dead daemon. Found under CPU
 * load: rclone killed while a call was in flight surfaced as a bare Vert.x {@link HttpClosedException}.
 */
class RcloneCallTransportTest {
    @Test
    void aConnectionClosedMidCallIsRcloneUnavailable() {
        assertThatThrownBy(() -> RcloneClient.call(() -> {
                    throw new HttpClosedException("Connection was closed");
                }))
                .isInstanceOf(RcloneUnavailableException.class)
                .hasMessageContaining("Connection was closed");
    }

    @Test
    void aRefusedConnectionIsRcloneUnavailable() {
        assertThatThrownBy(() -> RcloneClient.call(() -> {
                    throw new ProcessingException(new ConnectException("Connection refused"));
                }))
                .isInstanceOf(RcloneUnavailableException.class)
                .hasMessageContaining("Connection refused");
        assertThatThrownBy(() -> RcloneClient.call(() -> {
                    throw new UncheckedIOException(new IOException("Connection reset by peer"));
                }))
                .isInstanceOf(RcloneUnavailableException.class);
    }

    @Test
    void eachTransportFailureStopsTheRun() {
        try {
            RcloneClient.call(() -> {
                throw new HttpClosedException("Connection was closed");
            });
        } catch (RuntimeException e) {
            assertThat(Failure.of(e).kind()).isEqualTo(Failure.Kind.RCLONE_DOWN);
            assertThat(Failure.of(e).stopsRun()).isTrue();
            return;
        }
        throw new AssertionError("no exception");
    }

    @Test
    void anAnswerThatIsNotJsonIsACallErrorNotAnOutage() {
        assertThatThrownBy(() -> RcloneClient.call(() -> "<html>proxy error</html>"))
                .isInstanceOf(RcloneCallException.class)
                .hasMessageContaining("not JSON");
        assertThat(RcloneClient.call(() -> "{\"version\":\"v1.60.1\"}")
                        .path("version")
                        .asText())
                .isEqualTo("v1.60.1");
        assertThat(RcloneClient.call(() -> "").isEmpty()).isTrue();
    }
}
