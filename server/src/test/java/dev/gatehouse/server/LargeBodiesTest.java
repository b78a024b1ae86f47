package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream through the gateway both ways: a gateway process whose heap and direct memory are each capped at
 * 64 MiB passes a 1 GiB upload and a 1 GiB download, so it cannot be holding a body whole. The gigabyte is a
 * sparse file, sent by the backend with {@code sendFile} and by the client from disk.
 */
class LargeBodiesTest {

    private static final String GATEWAY_TOKEN = "gateway-token-of-the-tests-0123456789";
    private static final long GIGABYTE = 1L << 30;

    @TempDir
    Path dir;
    private Vertx vertx;
    private TestGatehouse controlPlane;
    private ChildProcess gateway;
    private final AtomicLong uploaded = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        Path large = dir.resolve("gigabyte.bin");
        try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
            file.setLength(GIGABYTE);
        }
        vertx = Vertx.vertx();
        HttpServer backend = vertx.createHttpServer().requestHandler(request -> {
            switch (request.method().name() + " " + request.path()) {
                case "GET /bulk/small" -> request.response().end("{\"small\": true}");
                case "GET /bulk/large" -> request.response().sendFile(large.toString());
                case "POST /bulk/large" -> {
                    AtomicLong received = new AtomicLong();
                    request.handler(chunk -> received.addAndGet(chunk.length()));
                    request.endHandler(end -> {
                        uploaded.set(received.get());
                        request.response().end(new JsonObject().put("bytes", received.get()).encode());
                    });
                }
                default -> request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await();
        controlPlane = TestGatehouse.startControlPlane(GATEWAY_TOKEN);
        String pat = controlPlane.loginDemo(DemoData.PUBLISHER);
        controlPlane.publishedApi(pat, "Bulk", "/bulk", new JsonArray(), new JsonArray()
                        .add(TestGatehouse.resource("GET", "/small"))
                        .add(TestGatehouse.resource("GET", "/large"))
                        .add(TestGatehouse.resource("POST", "/large")),
                "http://127.0.0.1:" + backend.actualPort() + "/bulk");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        controlPlane.close();
        vertx.close().await();
    }

    @Test
    void aGatewayWith64MiBOfMemory_passesAGigabyteEachWay() throws Exception {
        int port = ChildProcess.freePort();
        int statusPort = ChildProcess.freePort();
        gateway = ChildProcess.start("large-bodies-gateway", List.of("-Xmx64m", "-XX:MaxDirectMemorySize=64m"),
                List.of("--role", "gateway", "--environment", "production", "--bind", "127.0.0.1",
                        "--production-port", Integer.toString(port), "--status-port", Integer.toString(statusPort),
                        "--control-plane-url", controlPlane.url(""), "--gateway-token", GATEWAY_TOKEN,
                        "--gateway-id", "large-bodies", "--data-dir", dir.resolve("gateway").toString()));
        String alice = controlPlane.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = controlPlane.demoApplication(alice, "bulk app", "production", false);
        String bulkId = controlPlane.http.get(controlPlane.api("/orgs/acme/apis"), alice).array().stream()
                .map(JsonObject.class::cast).filter(api -> api.getString("name").equals("Bulk"))
                .findFirst().orElseThrow().getString("id");
        controlPlane.created(controlPlane.http.post(keys.appUrl() + "/subscriptions", alice,
                new JsonObject().put("apiId", bulkId)));
        String token = controlPlane.http.form(controlPlane.tokenEndpoint("acme"),
                Map.of("grant_type", "client_credentials"), keys.clientId(), keys.secret()).json()
                .getString("access_token");
        String base = "http://127.0.0.1:" + port + "/acme/bulk/v1";
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(gateway.alive()).as("the gateway runs; its output:%n%s", gateway.output()).isTrue();
            assertThat(controlPlane.http.tryGet("http://127.0.0.1:" + statusPort + "/ready")).isEqualTo(200);
        });
        awaitStatus(200, () -> controlPlane.http.get(base + "/small", token));

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(URI.create(base + "/large"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofFile(dir.resolve("gigabyte.bin")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        assertThat(new JsonObject(upload.body()).getLong("bytes")).isEqualTo(GIGABYTE);
        assertThat(uploaded.get()).isEqualTo(GIGABYTE);

        HttpResponse<InputStream> download = client.send(HttpRequest.newBuilder(URI.create(base + "/large"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValueAsLong("Content-Length")).hasValue(GIGABYTE);
        try (InputStream body = download.body()) {
            assertThat(body.transferTo(OutputStream.nullOutputStream())).isEqualTo(GIGABYTE);
        }
        assertThat(gateway.alive()).as("the gateway survives; its output:%n%s", gateway.output()).isTrue();
    }
}
