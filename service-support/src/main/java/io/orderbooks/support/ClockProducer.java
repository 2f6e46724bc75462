package io.orderbooks.support;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The services' wall clock, injected where time decides something a test wants to move (health ages, run times).
 * UTC system time; a test replaces it by producing its own {@code Clock} bean (this one is a {@code @DefaultBean}).
 */
@Singleton
public class ClockProducer {
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
