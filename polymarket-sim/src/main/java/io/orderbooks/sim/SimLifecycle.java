package io.orderbooks.sim;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Placeholder until the simulator issue fills this module. */
@ApplicationScoped
public class SimLifecycle {
    private static final Logger LOG = Logger.getLogger(SimLifecycle.class);

    void onStart(@Observes StartupEvent event) {
        LOG.info("polymarket-sim starting");
    }
}
