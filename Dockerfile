# One image for every bridge component; docker-compose.yml picks the main class per service.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests package -pl bridge-launcher -am

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 bridge && mkdir -p /var/lib/bridge && chown bridge /var/lib/bridge
COPY --from=build /src/bridge-launcher/target/bridge.jar /app/bridge.jar
USER bridge
# 8080: webhooks (callbacks); 9090: /metrics and /health of every service
EXPOSE 8080 9090
WORKDIR /var/lib/bridge
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/bridge.jar"]
CMD ["io.asyncbridge.launcher.BridgeCli", "--help"]
