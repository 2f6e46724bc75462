package io.orderbooks.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Typed checks of what the manifests promise (deploy/kubernetes/README.md): the pod is the compose stack with the
 * same settings, probes, hardening, mounts and grace period; the PDB, the NetworkPolicy and the scrape annotations
 * are there; the overlay's replica count and shard count agree.
 */
class ManifestContractTest {
    /** compose service -> container of the pod, with its HTTP port (rclone: none, its rc API stays in the pod). */
    private static final Map<String, Integer> QUARKUS_PORTS =
            Map.of("discovery", 8081, "collector", 8082, "offload", 8083);

    private static final Set<String> CONTAINERS = Set.of("discovery", "collector", "offload", "rclone");

    /**
     * Keys of .env.example that the ConfigMap does not carry, because Kubernetes provides them another way; each is
     * explained in deploy/kubernetes/README.md ("Settings").
     */
    static final Set<String> PROVIDED_BY_KUBERNETES = Set.of(
            "COMPOSE_PROJECT_NAME",
            "IMAGE_TAG",
            "QUARKUS_MODE",
            "BUILD_IMAGE",
            "BASE_IMAGE",
            "RCLONE_IMAGE",
            "APP_UID",
            "APP_GID",
            "ORDERBOOKS_DATA_DIR",
            "INSTANCE_ID",
            "COLLECTOR_SHARD",
            "RCLONE_RC_PASS",
            "RCLONE_CONFIG_DIR",
            "RCLONE_LOCAL_DIR",
            "DISCOVERY_HOST_PORT",
            "COLLECTOR_HOST_PORT",
            "OFFLOAD_HOST_PORT",
            "SIM_HOST_PORT",
            "DISCOVERY_MEM_LIMIT",
            "COLLECTOR_MEM_LIMIT",
            "OFFLOAD_MEM_LIMIT",
            "RCLONE_MEM_LIMIT",
            "SIM_MEM_LIMIT",
            "SIM_JAVA_OPTS",
            "ORDERBOOKS_EXPORT_DIR",
            "REPLAY_MEM_LIMIT",
            "REPLAY_JAVA_OPTS",
            "LOG_MAX_SIZE",
            "LOG_MAX_FILE");

    /** ConfigMap keys with a value other than .env.example's, and why. */
    private static final Map<String, String> CHANGED_DEFAULTS =
            Map.of("OFFLOAD_RCLONE_URL", "rclone listens on the pod's loopback, not on a compose network name");

    private final Kustomize.Rendered example = Kustomize.example();
    private final StatefulSet sts = StrictModel.parse(example.one("StatefulSet"), StatefulSet.class);
    private final PodSpec pod = sts.getSpec().getTemplate().getSpec();
    private final Map<String, String> config =
            StrictModel.parse(example.one("ConfigMap"), ConfigMap.class).getData();

    private Container container(String name) {
        return pod.getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    @Test
    void theConfigMapHasEveryKeyOfEnvExampleThatKubernetesDoesNotProvideWithItsDefault() {
        Map<String, String> envExample = Repo.envExample();
        Map<String, String> base = Repo.envFile(Repo.KUBERNETES.resolve("base/orderbooks.env"));
        Set<String> expected = new HashSet<>(envExample.keySet());
        expected.removeAll(PROVIDED_BY_KUBERNETES);
        expected.add("COLLECTOR_SHARD_COUNT");
        assertThat(base.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(envExample.keySet()).containsAll(PROVIDED_BY_KUBERNETES);
        for (String key : base.keySet()) {
            if (envExample.containsKey(key) && !CHANGED_DEFAULTS.containsKey(key)) {
                assertThat(base.get(key)).as(key).isEqualTo(envExample.get(key));
            }
        }
        assertThat(base.get("OFFLOAD_RCLONE_URL")).isEqualTo("http://127.0.0.1:5572");
        assertThat(config.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyKeyKubernetesProvidesIsExplainedInTheReadme() throws IOException {
        String readme = Files.readString(Repo.KUBERNETES.resolve("README.md"));
        for (String key : PROVIDED_BY_KUBERNETES) {
            assertThat(readme).as(key).contains("`" + key + "`");
        }
    }

    @Test
    void eachContainerGetsEveryEnvironmentKeyItsComposeServiceSets() {
        JsonNode services = Repo.compose().get("services");
        assertThat(pod.getContainers()).extracting(Container::getName).containsExactlyInAnyOrderElementsOf(CONTAINERS);
        for (String name : CONTAINERS) {
            Container c = container(name);
            assertThat(c.getEnvFrom())
                    .as(name + " reads the ConfigMap")
                    .anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).startsWith("orderbooks-config-"));
            Set<String> has = new HashSet<>(config.keySet());
            c.getEnv().forEach(e -> has.add(e.getName()));
            Iterator<String> composeKeys = services.get(name).get("environment").fieldNames();
            composeKeys.forEachRemaining(
                    k -> assertThat(has).as(name + " has " + k).contains(k));
        }
    }

    @Test
    void everyVariableReferenceResolvesToAnEarlierVariableOrAConfigMapKey() {
        assertThat(EnvReferences.assertResolved(pod.getContainers(), config.keySet()))
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void theInstanceIsThePodNameAndTheShardComesFromTheOrdinalAndTheShardCount() {
        Map<String, EnvVar> env = new TreeMap<>();
        container("collector").getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat(env.get("POD_INDEX").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.labels['apps.kubernetes.io/pod-index']");
        assertThat(env.get("COLLECTOR_SHARD").getValue()).isEqualTo("$(POD_INDEX)/$(COLLECTOR_SHARD_COUNT)");
        for (String[] pair : new String[][] {
            {"discovery", "DISCOVERY_INSTANCE"}, {"collector", "COLLECTOR_INSTANCE"}, {"offload", "OFFLOAD_INSTANCE"}
        }) {
            Map<String, EnvVar> e = new TreeMap<>();
            container(pair[0]).getEnv().forEach(v -> e.put(v.getName(), v));
            assertThat(e.get(pair[1]).getValue()).isEqualTo("$(POD_NAME)");
            assertThat(e.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.name");
        }
    }

    @Test
    void eachReplicaUploadsBelowItsOwnFolderOfTheRemote() {
        Map<String, EnvVar> env = new TreeMap<>();
        container("offload").getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat(env.get("OFFLOAD_REMOTE").getValue()).isEqualTo("$(OFFLOAD_REMOTE)/$(POD_NAME)");
        assertThat(config.get("OFFLOAD_REMOTE")).isEqualTo("gdrive:orderbooks");
    }

    @Test
    void theOverlaysReplicaCountIsItsShardCount() {
        assertThat(sts.getSpec().getReplicas()).isEqualTo(3);
        assertThat(config.get("COLLECTOR_SHARD_COUNT")).isEqualTo("3");
        StatefulSet base = StrictModel.parse(Kustomize.base().one("StatefulSet"), StatefulSet.class);
        assertThat(base.getSpec().getReplicas()).isEqualTo(1);
        // The rollout order the re-sharding procedure relies on (docs/SCALING.md).
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(sts.getSpec().getUpdateStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(sts.getSpec().getUpdateStrategy().getRollingUpdate()).isNull();
    }

    @Test
    void everyServiceHasStartupLivenessAndReadinessProbesOnItsHealthEndpoints() {
        QUARKUS_PORTS.forEach((name, port) -> {
            Container c = container(name);
            assertHttp(c.getStartupProbe(), "/q/health/started", port);
            assertHttp(c.getLivenessProbe(), "/q/health/live", port);
            assertHttp(c.getReadinessProbe(), "/q/health/ready", port);
            assertThat(c.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(port));
        });
        Container rclone = container("rclone");
        for (Probe p : List.of(rclone.getLivenessProbe(), rclone.getReadinessProbe())) {
            assertThat(String.join(" ", p.getExec().getCommand()))
                    .contains("rclone rc --url http://127.0.0.1:5572/")
                    .contains("core/version");
        }
    }

    private static void assertHttp(Probe probe, String path, int port) {
        assertThat(probe).as(path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(port);
        assertThat(probe.getTimeoutSeconds()).isLessThan(probe.getPeriodSeconds());
    }

    @Test
    void everyContainerRunsNonRootOnAReadOnlyRootWithNoCapabilities() {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
        assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(1000L);
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        for (Container c : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .toList()) {
            SecurityContext s = c.getSecurityContext();
            assertThat(s.getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(s.getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(s.getRunAsNonRoot()).as(c.getName()).isTrue();
            assertThat(s.getPrivileged()).as(c.getName()).isNotEqualTo(Boolean.TRUE);
            assertThat(s.getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(s.getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
        }
    }

    @Test
    void theDataVolumeIsSharedTheTmpDirsAreWritableAndTheRcloneConfigIsAReadOnlySecret() {
        for (String name : CONTAINERS) {
            Map<String, VolumeMount> m = mounts(container(name));
            assertThat(m.get("/data").getName()).as(name).isEqualTo("data");
            assertThat(m.get("/tmp")).as(name + " /tmp").isNotNull();
            String tmpVolume = m.get("/tmp").getName();
            assertThat(pod.getVolumes())
                    .filteredOn(v -> v.getName().equals(tmpVolume))
                    .singleElement()
                    .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        }
        for (String writer : List.of("discovery", "collector", "offload")) {
            assertThat(mounts(container(writer)).get("/data").getReadOnly()).isNotEqualTo(Boolean.TRUE);
        }
        Map<String, VolumeMount> rclone = mounts(container("rclone"));
        assertThat(rclone.get("/data").getReadOnly()).isTrue();
        assertThat(rclone.get("/config/rclone").getReadOnly()).isTrue();
        assertThat(pod.getVolumes())
                .filteredOn(v -> v.getName().equals(rclone.get("/config/rclone").getName()))
                .singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("orderbooks-rclone"));
        assertThat(sts.getSpec().getVolumeClaimTemplates())
                .singleElement()
                .satisfies(pvc -> assertThat(pvc.getMetadata().getName()).isEqualTo("data"));
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled())
                .isEqualTo("Retain");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted())
                .isEqualTo("Retain");
    }

    private static Map<String, VolumeMount> mounts(Container c) {
        Map<String, VolumeMount> out = new TreeMap<>();
        c.getVolumeMounts().forEach(v -> out.put(v.getMountPath(), v));
        return out;
    }

    @Test
    void memoryCapsAreComposesAndRequestedInFull() {
        JsonNode services = Repo.compose().get("services");
        for (String name : CONTAINERS) {
            // compose: "${COLLECTOR_MEM_LIMIT:-448m}" -> 448Mi
            String composeCap = services.get(name).get("mem_limit").asText().replaceAll(".*:-(\\d+)m}", "$1Mi");
            Map<String, Quantity> limits = container(name).getResources().getLimits();
            Map<String, Quantity> requests = container(name).getResources().getRequests();
            assertThat(limits.get("memory")).as(name).isEqualTo(new Quantity(composeCap));
            assertThat(requests.get("memory")).as(name).isEqualTo(new Quantity(composeCap));
            assertThat(requests.get("cpu")).as(name).isNotNull();
            assertThat(limits).as(name + ": no CPU limit").doesNotContainKey("cpu");
        }
    }

    @Test
    void theGracePeriodIsAtLeastComposesStopGracePeriod() {
        String composeGrace = Repo.compose()
                .get("services")
                .get("collector")
                .get("stop_grace_period")
                .asText();
        assertThat(composeGrace).isEqualTo("30s");
        assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(30L);
    }

    @Test
    void rcloneRcListensOnTheLoopbackAndTheNetworkPolicyAdmitsOnlyTheHealthPorts() {
        Container rclone = container("rclone");
        assertThat(String.join(" ", rclone.getArgs())).contains("--rc-addr=127.0.0.1:5572");
        assertThat(rclone.getPorts()).isNullOrEmpty();
        NetworkPolicy np = StrictModel.parse(example.one("NetworkPolicy"), NetworkPolicy.class);
        assertThat(np.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
        assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress");
        List<Integer> ports = new ArrayList<>();
        np.getSpec().getIngress().forEach(rule -> {
            assertThat(rule.getPorts())
                    .as("a rule without ports admits every port")
                    .isNotEmpty();
            rule.getPorts().stream().map(NetworkPolicyPort::getPort).forEach(p -> ports.add(p.getIntVal()));
        });
        assertThat(ports).containsExactlyInAnyOrder(8081, 8082, 8083);
    }

    @Test
    void aDisruptionBudgetOfOneAndScrapeAnnotationsCoverThePods() {
        PodDisruptionBudget pdb = StrictModel.parse(example.one("PodDisruptionBudget"), PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getMetadata().getNamespace()).isEqualTo("orderbooks");
        Map<String, String> annotations =
                sts.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8082")
                .containsEntry("prometheus.io/path", "/q/metrics");
    }

    @Test
    void theOverlayPointsTheServiceImagesAtItsRegistryAndKeepsComposesRclone() {
        String composeRclone =
                Repo.compose().get("services").get("rclone").get("image").asText();
        assertThat(composeRclone).isEqualTo("${RCLONE_IMAGE:-rclone/rclone:1.75.1}");
        for (Container c : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
                .toList()) {
            if (c.getName().equals("rclone") || c.getName().equals("rc-secret")) {
                assertThat(c.getImage()).isEqualTo("rclone/rclone:1.75.1");
            } else {
                assertThat(c.getImage()).isEqualTo("registry.example.com/orderbooks/" + c.getName() + "-svc:0.1.0");
            }
        }
    }

    @Test
    void noSecretIsInTheManifests() {
        assertThat(example.objects()).noneMatch(o -> o.path("kind").asText().equals("Secret"));
        assertThat(config).doesNotContainKey("RCLONE_RC_PASS");
        for (Container c : pod.getContainers()) {
            c.getEnv().stream()
                    .filter(e -> e.getName().endsWith("_PASS"))
                    .forEach(e -> assertThat(e.getValue())
                            .as(c.getName() + " " + e.getName())
                            .isEmpty());
        }
    }
}
