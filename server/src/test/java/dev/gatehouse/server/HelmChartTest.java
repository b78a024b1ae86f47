package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Helm chart under {@code deploy/helm/gatehouse}, linted and rendered by Helm itself (its library, through
 * helm-java), and the rendered manifests checked: what runs, how it is probed, scaled and kept available, and
 * that every container's arguments are ones the {@code gatehouse} command accepts.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("..", "deploy", "helm", "gatehouse");
    private static final Map<String, String> REQUIRED = Map.of(
            "database.url", "jdbc:postgresql://postgres:5432/gatehouse",
            "database.password", "db-secret",
            "gatewayToken", "a-gateway-token-of-at-least-32-characters",
            "masterKey", "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=");

    private static List<JsonNode> render(Map<String, String> values) throws IOException {
        TemplateCommand template = new Helm(CHART).template().withName("gh");
        values.forEach(template::set);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(template.call())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(document -> {
                if (document != null && !document.isEmpty()) {
                    documents.add(document);
                }
            });
        }
        return documents;
    }

    private static JsonNode find(List<JsonNode> documents, String kind, String name) {
        return documents.stream()
                .filter(d -> d.path("kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + documents.stream()
                        .map(d -> d.path("kind").asText() + "/" + d.at("/metadata/name").asText()).toList()));
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void chart_passesHelmLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
    }

    @Test
    void controlPlane_runsReplicasWithProbesAndADisruptionBudget() throws IOException {
        List<JsonNode> manifests = render(REQUIRED);

        JsonNode deployment = find(manifests, "Deployment", "gh-gatehouse-control-plane");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode container = container(deployment);
        assertThat(strings(container.path("args"))).contains("--role=control-plane");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("env").findValuesAsText("name"))
                .contains("GATEHOUSE_DB_PASSWORD", "GATEHOUSE_GATEWAY_TOKEN");
        assertThat(find(manifests, "Service", "gh-gatehouse-control-plane").at("/spec/sessionAffinity").asText())
                .isEqualTo("ClientIP");
        assertThat(find(manifests, "Service", "gh-gatehouse-control-plane").at("/spec/ports/0/port").asInt())
                .isEqualTo(9090);
        assertThat(find(manifests, "PodDisruptionBudget", "gh-gatehouse-control-plane")
                .at("/spec/minAvailable").asInt()).isEqualTo(1);
        JsonNode secret = find(manifests, "Secret", "gh-gatehouse-secrets");
        assertThat(secret.at("/stringData/gateway-token").asText()).isEqualTo(REQUIRED.get("gatewayToken"));
        assertThat(secret.at("/stringData/master-key").asText()).isEqualTo(REQUIRED.get("masterKey"));
        assertThat(find(manifests, "ConfigMap", "gh-gatehouse-config").at("/data/GATEHOUSE_DB_URL").asText())
                .isEqualTo(REQUIRED.get("database.url"));
    }

    @Test
    void gateways_perEnvironment_areProbedOnReadiness_autoscaled_andHoldNoDatabaseCredentials() throws IOException {
        List<JsonNode> manifests = render(REQUIRED);

        JsonNode production = find(manifests, "Deployment", "gh-gatehouse-gateway-production");
        JsonNode container = container(production);
        assertThat(strings(container.path("args"))).contains("--role=gateway", "--environment=production",
                "--control-plane-url=http://gh-gatehouse-control-plane:9090");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
        assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("status");
        assertThat(container.path("env").toString()).doesNotContain("GATEHOUSE_DB");
        assertThat(container.path("envFrom").isMissingNode()).isTrue();
        assertThat(production.at("/spec/replicas").isMissingNode()).as("replicas left to the autoscaler").isTrue();
        JsonNode autoscaler = find(manifests, "HorizontalPodAutoscaler", "gh-gatehouse-gateway-production");
        assertThat(autoscaler.at("/spec/scaleTargetRef/name").asText()).isEqualTo("gh-gatehouse-gateway-production");
        assertThat(autoscaler.at("/spec/maxReplicas").asInt()).isEqualTo(10);
        find(manifests, "PodDisruptionBudget", "gh-gatehouse-gateway-production");

        JsonNode development = find(manifests, "Deployment", "gh-gatehouse-gateway-development");
        assertThat(development.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(strings(container(development).path("args"))).contains("--environment=development",
                "--development-port=8281");
        assertThat(manifests).noneMatch(d -> d.at("/metadata/name").asText().equals("gh-gatehouse-gateway-development")
                && d.path("kind").asText().equals("HorizontalPodAutoscaler"));
    }

    @Test
    void everyContainersArguments_areAcceptedByTheGatehouseCommand() throws IOException {
        List<JsonNode> deployments = render(REQUIRED).stream()
                .filter(d -> d.path("kind").asText().equals("Deployment")).toList();

        assertThat(deployments).hasSize(3);
        for (JsonNode deployment : deployments) {
            String[] args = strings(container(deployment).path("args")).toArray(String[]::new);
            CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(args);
            assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("start");
        }
    }

    @Test
    void missingDatabaseShortGatewayTokenOrNoMasterKey_failsTheRenderingWithAMessage() {
        assertThatThrownBy(() -> render(Map.of("gatewayToken", REQUIRED.get("gatewayToken"))))
                .hasMessageContaining("database.url is required");
        assertThatThrownBy(() -> render(Map.of("database.url", REQUIRED.get("database.url"), "gatewayToken", "short")))
                .hasMessageContaining("gatewayToken must be at least 32 characters");
        assertThatThrownBy(() -> render(Map.of("database.url", REQUIRED.get("database.url"),
                "gatewayToken", REQUIRED.get("gatewayToken")))).hasMessageContaining("masterKey is required");
    }
}
