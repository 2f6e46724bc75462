package io.orderbooks.support;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.ProcessingException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpTest {
    @Test
    void anInterruptedCallIsTheTimeoutAtWorkButASocketTimeoutIsAnIoError() {
        assertThat(Http.interrupted(new ProcessingException(new InterruptedIOException("interrupted"))))
                .isTrue();
        assertThat(Http.interrupted(new ProcessingException(new RuntimeException(new InterruptedException()))))
                .isTrue();
        assertThat(Http.interrupted(new ProcessingException(new SocketTimeoutException("read timed out"))))
                .isFalse();
        assertThat(Http.interrupted(new ProcessingException(new ConnectException("refused"))))
                .isFalse();
    }

    @Test
    void theRootMessageIsTheInnermostCauseOnOneLine() {
        Throwable t = new ProcessingException(
                "outer",
                new IllegalStateException("wrapped", new ConnectException("Connection refused\n\tat somewhere")));
        assertThat(Http.rootMessage(t)).isEqualTo("ConnectException: Connection refused");
        assertThat(Http.rootMessage(new RuntimeException())).isEqualTo("RuntimeException");
    }

    @Test
    void aSnippetIsShortAndOneLine() {
        byte[] body = ("line one\r\nline two" + "x".repeat(500)).getBytes(StandardCharsets.UTF_8);
        assertThat(Http.snippet(body))
                .hasSize(200)
                .doesNotContain("\n")
                .doesNotContain("\r")
                .startsWith("line one  line two");
        assertThat(Http.snippet(null)).isEmpty();
    }
}
