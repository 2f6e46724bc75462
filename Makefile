# orderbooks — the commands an operator and a developer type. Every target uses the Maven wrapper (./mvnw).
# JAVA_HOME must point at a JDK 21 or newer; on the project's build machines that is Temurin 25.
ifeq ($(origin JAVA_HOME), undefined)
  ifneq ($(wildcard /usr/lib/jvm/temurin-25-jdk-amd64/bin/java),)
    export JAVA_HOME := /usr/lib/jvm/temurin-25-jdk-amd64
  endif
endif

MVN := ./mvnw -B -ntp
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo "docker-compose")

.PHONY: help test format build run stop compose-check compose-test compose-measure sim demo report replay export mark marks soak bench clean

help:
	@echo "make test           build everything and run every test (what CI runs)"
	@echo "make format         format all Java sources (palantir-java-format via Spotless; make test checks it)"
	@echo "make build          build the service jars (target/quarkus-app) without tests"
	@echo "make run            start the stack with Docker Compose: docker compose up -d --build (images built from source)"
	@echo "make stop           stop the stack (files are closed cleanly on SIGTERM)"
	@echo "make compose-check  validate compose.yaml offline (docker-compose config -q)"
	@echo "make compose-test   the compose stack (sim profile) in a real Docker engine, checked from outside (root; CI runs it)"
	@echo "make compose-measure  memory and CPU of the stack in Docker at 40,000 simulated tokens (root; about 20 min)"
	@echo "make sim            run polymarket-sim (a local Polymarket) on 127.0.0.1:8090; SIM_OPTS='-Dsim.markets=50' to tune"
	@echo "make demo           the whole pipeline against polymarket-sim as processes, no Docker (DEMO_SECONDS=60)"
	@echo "make report         data-quality and gap report of a data dir (DATA_DIR=./data, REPORT_ARGS=\"--from 2026-11-24\")"
	@echo "make replay         rebuild the order books of a data dir, checked against Polymarket's hashes (ARGS=\"--from 2026-11-24T12:00Z --output top\"; ARGS=--help)"
	@echo "make export         the rebuilt books as Parquet by date, with a manifest of the raw files read (ARGS=\"--out ./export --grid 1s --from 2026-11-24\"; ARGS=--help)"
	@echo "make bench          performance figures (JMH + end to end vs the simulator; PHASES=\"micro e2e ...\", BENCH_OPTS=\"-Dbench.x=y\")"
	@echo "make mark           mark raw files or hours invalid with a reason (ARGS=\"--file raw/… --reason '…'\"; ARGS=--help); make marks lists them"
	@echo "make soak           simulated soak: the pipeline vs polymarket-sim with faults, then report.md (SOAK_DURATION=24h)"

test:
	$(MVN) verify

format:
	$(MVN) spotless:apply

build:
	$(MVN) package -DskipTests

# The images build the services from source inside Docker (multi-stage Dockerfiles), so this needs only Docker; the
# one-shot `init` service creates the data and rclone dirs owned by APP_UID:APP_GID. `make build` is the developer's
# host build (jars under target/), not needed for the images.
run:
	@test -f .env || { echo "no .env: cp .env.example .env (then set INSTANCE_ID, OFFLOAD_REMOTE; docs/OPERATIONS.md §4.2)"; exit 1; }
	$(COMPOSE) up -d --build

stop:
	$(COMPOSE) down

compose-check:
	.ci/compose-check

# Builds and runs the sim profile with the operators' compose.yaml in a real engine (starts one if none runs), checks
# it from outside and prints image sizes, time to healthy and memory per container (docs/OPERATIONS.md §4.12).
compose-test:
	.ci/compose-test

# The production stack in Docker with the simulator at 40,000 tokens on its realistic profile: docker stats and RSS
# per container for 10 min (MEASURE_TOKENS, MEASURE_MINUTES; docs/PERFORMANCE.md table 10). About 20 min.
compose-measure:
	COMPOSE_TEST_MODE=measure .ci/compose-test

# The local Polymarket, as a process (docs/SIMULATOR.md). Point the services at http://127.0.0.1:8090 and
# ws://127.0.0.1:8090/ws/market.
sim:
	$(MVN) -q -pl polymarket-sim -am package -DskipTests
	exec $$JAVA_HOME/bin/java $(SIM_OPTS) -jar polymarket-sim/target/quarkus-app/quarkus-run.jar

# The whole pipeline as plain processes on loopback, without Docker: polymarket-sim → discovery → collector →
# offload → rclone rcd → a local folder (scripts/demo.sh). DEMO_SECONDS=60 by default; data under ./data-demo.
demo: build
	scripts/demo.sh

# What the data dir holds, what is missing and whether every file is intact, per stream and UTC hour
# (docs/REPORT.md). Reads only; safe beside running services. Exit code 1 = an integrity problem, listed.
report:
	$(MVN) -q -pl report -am package -DskipTests
	"$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -jar report/target/quarkus-app/quarkus-run.jar \
	  --data-dir "$(or $(DATA_DIR),./data)" $(REPORT_ARGS)

# Every order book of a data dir rebuilt from its REST snapshots and websocket frames, in receive order, each checked
# against Polymarket's own book hashes (docs/REPLAY.md). Book lines on stdout (or --out), the check summary on stderr.
# Reads only. DATA_DIR sets --data (default ./data); ARGS="--help" shows every option and a worked example.
replay:
	$(MVN) -q -pl replay -am package -DskipTests
	"$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -jar replay/target/orderbooks-replay.jar \
	  --data "$(or $(DATA_DIR),./data)" $(ARGS)

# The books replay rebuilds, written as Parquet: one row per token and grid point (event, 1s or 100ms), partitioned
# by UTC date under --out, plus export-manifest.json naming every raw file read with its sha256 (docs/EXPORT.md).
# Reads the data dir only; --out must be new or empty and not under its raw/. DATA_DIR sets --data (default ./data).
export:
	$(MVN) -q -pl replay -am package -DskipTests
	"$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -jar replay/target/orderbooks-replay.jar export \
	  --data "$(or $(DATA_DIR),./data)" $(ARGS)

# Marks raw data invalid with a reason, never touching the raw files (docs/OPERATIONS.md §6, DATA-FORMAT.md §8):
# replay and export leave marked hours out and say so, offload uploads the mark beside the files on the remote.
# ARGS="--file raw/… --reason '…'" or "--stream ws_market --from 2026-11-24T13 --to 2026-11-24T15 --reason '…'";
# ARGS=--help shows every option. `make marks` lists the marks. DATA_DIR sets --data (default ./data).
mark:
	$(MVN) -q -pl replay -am package -DskipTests
	"$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -jar replay/target/orderbooks-replay.jar mark \
	  --data "$(or $(DATA_DIR),./data)" $(ARGS)

marks:
	$(MVN) -q -pl replay -am package -DskipTests
	"$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -jar replay/target/orderbooks-replay.jar marks \
	  --data "$(or $(DATA_DIR),./data)" $(ARGS)

# The simulated soak (docs/SOAK.md): the whole pipeline as processes against polymarket-sim, a repeating fault schedule,
# resource samples, and a final reconciliation into $SOAK_DIR/report.md (default ./soak-<UTC start>). SOAK_DURATION=24h
# by default (SOAK_DURATION=1h make soak for a short one); exits 1 when the verdict is FAIL.
soak: build
	scripts/soak.sh

# JMH for the hot pieces plus end-to-end runs against polymarket-sim (docs/PERFORMANCE.md). The bench JVM (simulator,
# JMH forks) runs on CPU 0 and the collector on CPU 1 when taskset exists. discovery/offload jars are built for the
# start-up figures, replay's jar for phase replay; if one does not build, its rows are skipped. PHASES=replay for one.
bench:
	$(MVN) -q -pl bench -am package -DskipTests
	-$(MVN) -q -pl discovery-svc,offload-svc,replay -am package -DskipTests
	@pin=$$(command -v taskset >/dev/null && [ "$$(nproc)" -ge 2 ] && echo "taskset -c 0"); \
	  cpu=$$([ -n "$$pin" ] && echo 1 || echo -1); start=$$(date +%s); \
	  $$pin "$${JAVA_HOME:+$$JAVA_HOME/bin/}java" -Dbench.repo=. -Dbench.cpu=$$cpu $(BENCH_OPTS) \
	    -cp bench/target/classes:$$(cat bench/target/classpath.txt) io.orderbooks.bench.Bench $(PHASES) \
	  && echo "make bench: $$(( $$(date +%s) - start )) s of benchmarks (summary in bench/target/bench/summary.txt)"

clean:
	$(MVN) -q clean
