package io.orderbooks.sim;

import java.util.List;

/**
 * One serialised market-channel event, made once and fanned out to every connection subscribed to one of its assets.
 *
 * @param json       the event object, already decorated by schema faults
 * @param assetIds   assets whose subscribers receive it (both tokens of a market for a cross-asset price_change)
 * @param customOnly only for connections that set {@code custom_feature_enabled} (best_bid_ask, new_market, market_resolved)
 * @param broadcast  for every custom-feature connection regardless of subscriptions (new_market, market_resolved)
 */
record FeedEvent(String json, List<String> assetIds, boolean customOnly, boolean broadcast) {}
