package io.orderbooks.sim.app;

import io.orderbooks.sim.PolymarketSim;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs the simulator as a process or container: builds the config from {@code sim.*} and starts/stops the plain
 * {@link PolymarketSim} core. Lives in its own package and the jar has no beans.xml or Jandex index, so a consumer
 * that only depends on the jar for in-process tests never activates this bean.
 */
@ApplicationScoped
public class SimApp {
    private final SimSettings settings;
    private volatile PolymarketSim sim;

    SimApp(SimSettings settings) {
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        sim = PolymarketSim.start(settings.toConfig());
    }

    void onStop(@Observes ShutdownEvent event) {
        PolymarketSim s = sim;
        if (s != null) {
            s.stop();
        }
    }

    /** The running simulator (for the app's own tests). */
    public PolymarketSim sim() {
        return sim;
    }
}
