package io.orderbooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The drain Job (deploy/kubernetes/components/drain, README.md "Draining a removed replica's volume"): added to an
 * overlay it changes nothing else, it is valid, and it runs the removed replica's own offload-svc and rclone (same
 * images, settings, Secret, hardening, instance id and remote folder) in drain mode over that replica's volume.
 */
class DrainJobTest {
    private final Kustomize.Rendered example = Kustomize.example();
    private final Kustomize.Rendered drain = Kustomize.exampleDrain();
    private final Job job = StrictModel.parse(drain.one("Job"), Job.class);
    private final PodSpec pod = job.getSpec().getTemplate().getSpec();
    private final PodSpec replica = StrictModel.parse(drain.one("StatefulSet"), StatefulSet.class)
            .getSpec()
            .getTemplate()
            .getSpec();

    private static String key(JsonNode o) {
        return o.path("kind").asText() + "/" + o.path("metadata").path("name").asText();
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> objects) {
        return objects.stream().collect(Collectors.toMap(DrainJobTest::key, o -> o, (a, b) -> a, TreeMap::new));
    }

    private static Container named(List<Container> containers, String name) {
        return containers.stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> out = new TreeMap<>();
        c.getEnv().forEach(e -> out.put(e.getName(), e.getValue()));
        return out;
    }

    @Test
    void theDrainAddsOnlyTheJobToTheOverlayItIsAddedTo() {
        Map<String, JsonNode> with = byKey(drain.objects());
        Map<String, JsonNode> without = byKey(example.objects());
        assertThat(with.remove("Job/orderbooks-drain")).isNotNull();
        assertThat(with).isEqualTo(without);
    }

    @Test
    void theJobIsValidAgainstTheKubernetesSchemasAndTheTypedModel() {
        OpenApiValidator.Verdict v = OpenApiValidator.validate(List.of(drain.one("Job")));
        assertThat(v.valid()).as(v.output()).isTrue();
        assertThat(v.output()).contains("ok Job/orderbooks-drain");
        assertThat(StrictModel.unknownFields(drain.one("Job"))).isEmpty();
    }

    @Test
    void itMountsTheRemovedReplicasVolumeAsThatReplicasInstanceAndRemoteFolder() {
        Container offload = named(pod.getContainers(), "offload");
        Map<String, String> env = env(offload);
        String replicaName = env.get("REPLICA");
        assertThat(replicaName).isEqualTo("orderbooks-3");
        Volume data = pod.getVolumes().stream()
                .filter(v -> v.getName().equals("data"))
                .findFirst()
                .orElseThrow();
        // The StatefulSet's PVC of pod P is "<volumeClaimTemplate name>-P".
        String template = drain.one("StatefulSet")
                .at("/spec/volumeClaimTemplates/0/metadata/name")
                .asText();
        assertThat(data.getPersistentVolumeClaim().getClaimName()).isEqualTo(template + "-" + replicaName);
        assertThat(data.getPersistentVolumeClaim().getReadOnly()).isNotEqualTo(Boolean.TRUE);
        assertThat(env)
                .containsEntry("OFFLOAD_DRAIN", "true")
                .containsEntry("OFFLOAD_INSTANCE", "$(REPLICA)")
                .containsEntry("OFFLOAD_REMOTE", "$(OFFLOAD_REMOTE)/$(REPLICA)");
        assertThat(job.getSpec().getTemplate().getMetadata().getNamespace()).isNull();
        assertThat(job.getMetadata().getNamespace()).isEqualTo("orderbooks");
    }

    /** Everything but the instance's source (the pod name there, REPLICA here) and the drain switch is the replica's. */
    @Test
    void offloadAndRcloneAreTheReplicasOwnContainers() {
        Container mine = named(pod.getContainers(), "offload");
        Container theirs = named(replica.getContainers(), "offload");
        Map<String, String> expected = env(theirs);
        expected.remove("POD_NAME");
        expected.replaceAll((k, v) -> v == null ? null : v.replace("$(POD_NAME)", "$(REPLICA)"));
        Map<String, String> actual = env(mine);
        actual.remove("REPLICA");
        actual.remove("OFFLOAD_DRAIN");
        assertThat(actual).isEqualTo(expected);
        assertThat(mine.getImage()).isEqualTo(theirs.getImage());
        assertThat(mine.getEnvFrom()).isEqualTo(theirs.getEnvFrom());
        assertThat(mine.getSecurityContext()).isEqualTo(theirs.getSecurityContext());
        assertThat(mine.getResources()).isEqualTo(theirs.getResources());
        assertThat(mine.getVolumeMounts()).isEqualTo(theirs.getVolumeMounts());

        // rclone: a native sidecar (an init container that keeps running) so that the Job ends with offload-svc.
        Container sidecar = named(pod.getInitContainers(), "rclone");
        Container rclone = named(replica.getContainers(), "rclone");
        assertThat(sidecar.getRestartPolicy()).isEqualTo("Always");
        assertThat(sidecar.getStartupProbe().getExec().getCommand())
                .isEqualTo(rclone.getReadinessProbe().getExec().getCommand());
        for (var field : List.<java.util.function.Function<Container, Object>>of(
                Container::getImage,
                Container::getCommand,
                Container::getArgs,
                Container::getEnv,
                Container::getEnvFrom,
                Container::getSecurityContext,
                Container::getResources,
                Container::getVolumeMounts)) {
            assertThat(field.apply(sidecar)).isEqualTo(field.apply(rclone));
        }
        assertThat(named(pod.getInitContainers(), "rc-secret"))
                .isEqualTo(named(replica.getInitContainers(), "rc-secret"));
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("rc-secret", "rclone");
        assertThat(pod.getSecurityContext()).isEqualTo(replica.getSecurityContext());
        Set<String> volumes = new HashSet<>();
        pod.getVolumes().forEach(v -> volumes.add(v.getName()));
        assertThat(volumes)
                .containsExactlyInAnyOrder("data", "rclone-config", "rc-secret", "tmp-offload", "tmp-rclone");
        for (String shared : List.of("rclone-config", "rc-secret", "tmp-offload", "tmp-rclone")) {
            assertThat(volume(pod, shared)).isEqualTo(volume(replica, shared));
        }
    }

    private static Volume volume(PodSpec spec, String name) {
        return spec.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyVariableReferenceResolvesToAnEarlierVariableOrAConfigMapKey() {
        Set<String> config = StrictModel.parse(drain.one("ConfigMap"), io.fabric8.kubernetes.api.model.ConfigMap.class)
                .getData()
                .keySet();
        assertThat(EnvReferences.assertResolved(
                        List.of(named(pod.getContainers(), "offload"), named(pod.getInitContainers(), "rclone")),
                        config))
                .isGreaterThanOrEqualTo(6);
    }

    /**
     * The Job ends by itself: offload-svc exits when the drain is over, its pod is never restarted in place, a failed
     * drain is tried again a bounded number of times, and Kubernetes' deadline lies beyond the drain's own timeout
     * (offload.drain-timeout's default, read from OffloadConfig), so the verdict is always offload-svc's.
     */
    @Test
    void theJobEndsWithOffloadAndItsDeadlineLiesBeyondTheDrainTimeout() throws IOException {
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getBackoffLimit()).isBetween(0, 5);
        String config = Files.readString(
                Repo.ROOT.resolve("offload-svc/src/main/java/io/orderbooks/offload/OffloadConfig.java"));
        Matcher m = Pattern.compile("@WithDefault\\(\"([0-9]+)h\"\\)\\s+Duration drainTimeout\\(\\)")
                .matcher(config);
        assertThat(m.find())
                .as("offload.drain-timeout's default in OffloadConfig")
                .isTrue();
        Duration drainTimeout = Duration.ofHours(Long.parseLong(m.group(1)));
        assertThat(Duration.ofSeconds(job.getSpec().getActiveDeadlineSeconds())).isGreaterThan(drainTimeout);
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(30L);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    /** Not the replicas' label: their Service, PodDisruptionBudget and NetworkPolicy must not select the drain pod. */
    @Test
    void theDrainPodIsNotSelectedByTheReplicasServiceBudgetOrPolicy() {
        Map<String, String> labels = job.getSpec().getTemplate().getMetadata().getLabels();
        for (String kind : List.of("Service", "PodDisruptionBudget", "NetworkPolicy")) {
            JsonNode selector = drain.one(kind)
                    .at(
                            kind.equals("Service")
                                    ? "/spec/selector"
                                    : kind.equals("NetworkPolicy")
                                            ? "/spec/podSelector/matchLabels"
                                            : "/spec/selector/matchLabels");
            assertThat(selector.isObject()).as(kind).isTrue();
            boolean selects = true;
            for (var it = selector.fields(); it.hasNext(); ) {
                var e = it.next();
                selects &= e.getValue().asText().equals(labels.get(e.getKey()));
            }
            assertThat(selects).as(kind + " selects the drain pod").isFalse();
        }
    }

    @Test
    void noPasswordIsInTheJob() {
        for (Container c : List.of(named(pod.getContainers(), "offload"), named(pod.getInitContainers(), "rclone"))) {
            c.getEnv().stream()
                    .filter(e -> e.getName().endsWith("_PASS"))
                    .forEach(e -> assertThat(e.getValue())
                            .as(c.getName() + " " + e.getName())
                            .isEmpty());
        }
    }
}
