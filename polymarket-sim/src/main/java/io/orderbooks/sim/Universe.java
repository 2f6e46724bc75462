package io.orderbooks.sim;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * All simulated markets, their tokens and live books. Tests use it to ask what exists and to force lifecycle changes
 * ({@link #close}, {@link #reopen}, {@link #remove}, {@link #addMarket}); the market churn uses the same methods.
 */
public final class Universe {
    private final MarketFactory factory;
    private final Clock clock;
    private final Map<String, SimMarket> markets = new LinkedHashMap<>();
    private final Map<String, SimMarket> byToken = new ConcurrentHashMap<>();
    private final Map<String, OrderBook> books = new ConcurrentHashMap<>();
    private final List<Consumer<SimMarket>> newMarketListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<SimMarket>> resolvedListeners = new CopyOnWriteArrayList<>();
    private final Random churn;
    private int nextIndex;
    private final UpDownMarkets upDown;

    Universe(SimConfig config) {
        this.factory = new MarketFactory(config);
        this.clock = config.clock();
        this.churn = new Random(MarketFactory.mix(config.seed(), -1));
        Random closedPick = new Random(MarketFactory.mix(config.seed(), -2));
        for (int i = 0; i < config.markets(); i++) {
            boolean closed = closedPick.nextDouble() < config.closedShare();
            MarketDef def = factory.market(i, closed);
            SimMarket m = new SimMarket(
                    def,
                    closed ? MarketStatus.CLOSED : MarketStatus.OPEN,
                    closed && closedPick.nextInt(4) == 0,
                    closed ? def.endDate() : null);
            register(m);
        }
        nextIndex = config.markets();
        upDown = new UpDownMarkets(config, this);
        if (upDown.enabled()) {
            // The horizon is full from the start; these are not "new" (no listener is registered yet anyway).
            upDown.step(clock.instant());
        }
    }

    /** The short-lived up/down markets' schedule. */
    UpDownMarkets upDown() {
        return upDown;
    }

    /** All markets ever created, in id order, including closed and gone ones. */
    public synchronized List<SimMarket> markets() {
        return List.copyOf(markets.values());
    }

    public synchronized Optional<SimMarket> market(String id) {
        return Optional.ofNullable(markets.get(id));
    }

    public Optional<SimMarket> marketOfToken(String tokenId) {
        return Optional.ofNullable(byToken.get(tokenId));
    }

    /** The live book of a token, present only while its market is open and has an order book. */
    public Optional<OrderBook> book(String tokenId) {
        SimMarket m = byToken.get(tokenId);
        if (m == null || !m.hasBook()) {
            return Optional.empty();
        }
        return Optional.ofNullable(books.get(tokenId));
    }

    /** Tokens that have a book right now (open markets with enableOrderBook). */
    public List<String> openTokenIds() {
        List<String> out = new ArrayList<>();
        for (SimMarket m : markets()) {
            if (m.hasBook()) {
                out.addAll(m.def().tokenIds());
            }
        }
        return out;
    }

    /** Tokens of closed markets (their books answer 404). */
    public List<String> closedTokenIds() {
        List<String> out = new ArrayList<>();
        for (SimMarket m : markets()) {
            if (m.status() == MarketStatus.CLOSED) {
                out.addAll(m.def().tokenIds());
            }
        }
        return out;
    }

    /**
     * Ids listed by open rows of an unknown or missing {@code version} ({@code "v3"} or no field): well-formed, but
     * without a book; a correct client rejects these rows (docs.polymarket.com/migrate/polymarket-v2/api-integrations).
     */
    public List<String> unknownVersionIds() {
        List<String> out = new ArrayList<>();
        for (SimMarket m : markets()) {
            if (m.status() == MarketStatus.OPEN && !m.def().version().tradeable()) {
                out.addAll(m.def().listedIds());
            }
        }
        return out;
    }

    /** The {@code positionIds} of open v1 rows: present on the row, but not the book ids, so they have no book. */
    public List<String> v1PositionIds() {
        List<String> out = new ArrayList<>();
        for (SimMarket m : markets()) {
            if (m.status() == MarketStatus.OPEN && m.def().version() == MarketVersion.V1) {
                out.addAll(m.def().positionIds());
            }
        }
        return out;
    }

    /** Tokens of open markets without an order book ({@code enableOrderBook:false}). */
    public List<String> noOrderBookTokenIds() {
        List<String> out = new ArrayList<>();
        for (SimMarket m : markets()) {
            if (m.status() == MarketStatus.OPEN && !m.def().enableOrderBook()) {
                out.addAll(m.def().tokenIds());
            }
        }
        return out;
    }

    /** Settles a market: Gamma shows it closed, its books answer 404 and stop streaming. */
    public void close(String marketId) {
        SimMarket m = require(marketId);
        boolean wasOpen;
        synchronized (m) {
            wasOpen = m.status() == MarketStatus.OPEN;
            m.status(MarketStatus.CLOSED, clock.instant());
        }
        if (wasOpen) {
            // Settling an open market is its resolution: market_resolved for custom-feature connections.
            resolvedListeners.forEach(l -> l.accept(m));
        }
    }

    /** Re-opens a closed (or gone) market with a fresh book. */
    public void reopen(String marketId) {
        SimMarket m = require(marketId);
        m.status(MarketStatus.OPEN, clock.instant());
        freshBooks(m);
    }

    /** Makes a market vanish from Gamma and the CLOB altogether (a fault: "a market disappearing"). */
    public void remove(String marketId) {
        require(marketId).status(MarketStatus.GONE, clock.instant());
    }

    /** Lists a brand-new open market (websocket {@code new_market} for custom-feature subscribers). */
    public SimMarket addMarket() {
        SimMarket m;
        synchronized (this) {
            m = new SimMarket(factory.market(nextIndex++, false), MarketStatus.OPEN, false, null);
            register(m);
        }
        newMarketListeners.forEach(l -> l.accept(m));
        return m;
    }

    /** Lists a short-lived up/down market (see {@link UpDownMarkets}); new_market like any listing. */
    SimMarket addUpDown(String asset, java.time.Duration window, long windowStartSec) {
        SimMarket m;
        synchronized (this) {
            m = new SimMarket(
                    factory.upDown(nextIndex++, asset, window, windowStartSec), MarketStatus.OPEN, false, null);
            register(m);
        }
        newMarketListeners.forEach(l -> l.accept(m));
        return m;
    }

    /** One churn step: close a random open market and list a new one, so discovery sees change. */
    void churnOnce() {
        List<SimMarket> open = markets().stream().filter(SimMarket::hasBook).toList();
        if (!open.isEmpty()) {
            int pick;
            synchronized (this) {
                pick = churn.nextInt(open.size());
            }
            close(open.get(pick).id());
        }
        addMarket();
    }

    void onNewMarket(Consumer<SimMarket> listener) {
        newMarketListeners.add(listener);
    }

    void onResolved(Consumer<SimMarket> listener) {
        resolvedListeners.add(listener);
    }

    private synchronized void register(SimMarket m) {
        markets.put(m.id(), m);
        for (String t : m.def().tokenIds()) {
            byToken.put(t, m);
        }
        if (m.status() == MarketStatus.OPEN) {
            freshBooks(m);
        }
    }

    private void freshBooks(SimMarket m) {
        if (!m.def().enableOrderBook() || !m.def().version().tradeable()) {
            return;
        }
        for (int i = 0; i < m.def().tokenIds().size(); i++) {
            books.put(m.def().tokenIds().get(i), factory.book(m.def(), i));
        }
    }

    private SimMarket require(String marketId) {
        return market(marketId).orElseThrow(() -> new IllegalArgumentException("no such market: " + marketId));
    }
}
