package io.orderbooks.shared.testing;

import io.orderbooks.shared.records.Envelope;
import io.orderbooks.shared.records.Line;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Realistic record lines for tests and benchmarks, shaped like the current Polymarket market channel. */
public final class SampleLines {
    public static final String ASSET = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    public static final String MARKET = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1";

    private SampleLines() {}

    /** A current-format {@code price_change} frame (~450 bytes) whose size field encodes {@code n}. */
    public static String priceChangeFrame(long n, long tsMs) {
        return "{\"market\":\"" + MARKET + "\",\"price_changes\":[{\"asset_id\":\"" + ASSET
                + "\",\"price\":\"0.5\",\"size\":\"" + (200 + n % 1000)
                + "\",\"side\":\"BUY\",\"hash\":\"56621a121a47ed9333273e21c83b660cff37ae50\",\"best_bid\":\"0.5\",\"best_ask\":\"1\"}],"
                + "\"timestamp\":\"" + tsMs + "\",\"event_type\":\"price_change\"}";
    }

    /** A websocket data line carrying a price_change; {@code seq} is the per-connection frame counter. */
    public static Line wsPriceChange(long recvUs, String conn, long seq) {
        byte[] frame = priceChangeFrame(seq, recvUs / 1000).getBytes(StandardCharsets.UTF_8);
        return Line.of(recvUs, "price_change", List.of(ASSET), Envelope.ws(recvUs, conn, seq, frame));
    }
}
