package io.orderbooks.discovery;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The one lifecycle bean of discovery-svc: everything that starts or stops with the process starts or stops here. */
@ApplicationScoped
public class DiscoveryLifecycle {

    private static final Logger LOG = Logger.getLogger(DiscoveryLifecycle.class);

    @ConfigProperty(name = "data.dir")
    String dataDir;

    void onStart(@Observes StartupEvent event) {
        LOG.infof("discovery-svc starting: data.dir=%s", dataDir);
    }

    void onStop(@Observes ShutdownEvent event) {
        LOG.infof("discovery-svc stopping");
    }
}
