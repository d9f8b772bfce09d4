# Switchboard gateway image: built from source in a JDK stage, run on a Debian-based JRE as a
# non-root user. docs/deploy.md shows it with PostgreSQL, Redis, two gateways and nginx.
#
#   docker build -t switchboard .
#   docker run --rm -p 8080:8080 -e SWITCHBOARD_MASTER_KEY=... switchboard
#
# The build stage needs Maven Central (the wrapper downloads Maven and the dependencies).

FROM eclipse-temurin:21-jdk-noble AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY api api
COPY sse sse
COPY core core
COPY providers providers
COPY simulator simulator
COPY client client
COPY testkit testkit
COPY config config
COPY routing routing
COPY storage storage
COPY gateway gateway
COPY client-it client-it
COPY bench bench
RUN ./mvnw -B -q -DskipTests -Dspotless.check.skip=true -pl gateway -am package \
 && cp gateway/target/switchboard-gateway-*-all.jar /switchboard.jar

FROM debian:trixie-slim AS jre
# A JRE 21 from Debian's own packages (trixie, Debian 13, has it in main).
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-21-jre-headless curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

FROM jre
RUN groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid switchboard --home-dir /var/lib/switchboard \
      --shell /usr/sbin/nologin switchboard \
 && install -d -o switchboard -g switchboard -m 0700 /var/lib/switchboard
COPY --from=build /switchboard.jar /opt/switchboard/switchboard.jar
USER switchboard:switchboard
WORKDIR /var/lib/switchboard
ENV SWITCHBOARD_HOST=0.0.0.0 \
    SWITCHBOARD_PORT=8080 \
    SWITCHBOARD_DATA_DIR=/var/lib/switchboard \
    SWITCHBOARD_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=2s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health/live >/dev/null || exit 1
# The launcher's JVM defaults (ADR 0004, ADR 0023), then the operator's SWITCHBOARD_JAVA_OPTS (a
# heap size named there wins, being later; docs/operations.md, "Memory").
ENTRYPOINT ["sh", "-c", "exec java --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms64m -Xmn32m -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=4 $SWITCHBOARD_JAVA_OPTS -jar /opt/switchboard/switchboard.jar serve \"$@\"", "switchboard"]
