# Container images of the pixiv batch. Two targets, both built by cloudbuild.yaml:
#
#   docker build --target pixiv    -t REGISTRY/pixiv:$(git rev-parse HEAD) .
#   docker build --target launcher -t REGISTRY/pixiv-launch:$(git rev-parse HEAD) .
#
# `pixiv` runs one shard of the scrape (the pods of the Indexed Job); `launcher` runs
# `pixiv-launch` where Digdag runs its tasks in containers. docs/image.md explains both.

# ---- build: the reactor, tests skipped (Cloud Build runs them in its own step) ----
FROM maven:3.9-eclipse-temurin-17 AS build
# The context has no .git: the commit for the jars' manifests and `--version` comes from here.
ARG COMMIT_SHA=unknown
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package -pl pixiv-cli,pixiv-k8s-launcher -am -Dgit.commit.id="${COMMIT_SHA}" \
 && mkdir -p /out \
 && cp pixiv-cli/target/pixiv.jar pixiv-k8s-launcher/target/pixiv-launch.jar /out/ \
 && cp examples/image/pixiv.sh /out/pixiv && cp examples/image/pixiv-launch.sh /out/pixiv-launch \
 && cp examples/image/class-data.sh /out/class-data.sh \
 && chmod 0755 /out/pixiv /out/pixiv-launch /out/class-data.sh

# ---- common runtime: JRE 17, a fixed non-root user, nothing written outside /tmp ----
FROM eclipse-temurin:17-jre AS runtime
ARG COMMIT_SHA=unknown
LABEL org.opencontainers.image.title="pixiv-dic" \
      org.opencontainers.image.revision="${COMMIT_SHA}"
RUN groupadd --system --gid 10001 pixiv \
 && useradd --system --uid 10001 --gid 10001 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin pixiv
# Heap follows the container's memory limit, at half of it: the other half holds metaspace,
# code cache, thread stacks and the allocator's slack, so peak RSS stays under 80% of the limit
# (measured in docs/performance.md; MemoryBudgetIT checks these very options). Serial GC: one
# or two cores, and the least memory beside the heap. An OutOfMemoryError ends the JVM (and the
# pod) instead of limping on; temp files and the JVM's perf data stay off the read-only root.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.io.tmpdir=/tmp" \
    PIXIV_LOG_FORMAT=json \
    LANG=C.UTF-8
# Relative paths (the default sink out/..., reports) land on the writable /tmp mount.
WORKDIR /tmp
VOLUME ["/tmp"]

# ---- launcher: pixiv-launch, for Digdag tasks that run in a container ----
FROM runtime AS launcher
COPY --from=build /out/pixiv-launch.jar /app/pixiv-launch.jar
COPY --from=build /out/pixiv-launch /usr/local/bin/pixiv-launch
USER 10001:10001
# No ENTRYPOINT, so a scheduler can run a shell command in this image (Digdag's docker
# mode), and `docker run IMAGE pixiv-launch run ...` works as well.
CMD ["pixiv-launch", "--help"]

# ---- pixiv: the scraper; the last stage, so a plain `docker build .` makes this one ----
FROM runtime AS pixiv
COPY --from=build /out/pixiv.jar /app/pixiv.jar
COPY --from=build /out/pixiv /usr/local/bin/pixiv
# The class-data archive of the jar, made by this JVM with the options above (runs the offline
# demo and a BigQuery client at a closed local port; no network): every pod starts faster.
COPY --from=build /out/class-data.sh /usr/local/lib/pixiv/class-data.sh
RUN /usr/local/lib/pixiv/class-data.sh /app/pixiv.jar /app/pixiv.jsa
USER 10001:10001
# exec form: the JVM is PID 1 and receives SIGTERM itself, flushes, and exits 143. The JVM's own
# warnings (an archive it cannot use, say) go to stderr, never among the rows `parse` prints.
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/pixiv.jsa", "-Xlog:disable", "-Xlog:all=warning:stderr", "-jar", "/app/pixiv.jar"]
CMD ["--help"]
