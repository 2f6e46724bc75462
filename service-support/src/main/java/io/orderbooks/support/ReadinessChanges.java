package io.orderbooks.support;

import io.orderbooks.shared.logging.ReadinessLog;
import io.smallrye.health.event.SmallRyeHealthStatusChangeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Logs readiness once per change, naming the failing checks ({@link ReadinessLog}; docs/OPERATIONS.md 4.6 "Health
 * in the logs"). SmallRye Health fires this event when a probe finds readiness changed; its own report of every DOWN
 * probe is silenced in each service's application.properties. A bean of this jar: every service has it.
 */
@ApplicationScoped
public class ReadinessChanges {
    private static final Logger LOG = Logger.getLogger(ReadinessChanges.class);
    private final ReadinessLog log = new ReadinessLog();

    void onChange(@Observes @Readiness SmallRyeHealthStatusChangeEvent event) {
        log.next(event.health().getPayload().toString()).ifPresent(line -> LOG.log(line.level(), line.text()));
    }
}
