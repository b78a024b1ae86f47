package dev.gatehouse.server;

import dev.gatehouse.model.Environment;
import dev.gatehouse.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code gatehouse} command. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "Gatehouse 0.1.0",
        description = "API management: gateway, control plane and identity provider in one binary.",
        subcommands = {Main.Start.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the control plane, the built-in identity provider and both gateways in one process.")
    static final class Start implements Callable<Integer> {

        @Option(names = "--demo", description = "Add the demo organizations, users and Orders API (once).")
        boolean demo;

        @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String bind;

        @Option(names = "--port", defaultValue = "9090",
                description = "Control plane, portal, console and identity provider port (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--production-port", defaultValue = "8280", description = "Production gateway port (default: ${DEFAULT-VALUE}).")
        int productionPort;

        @Option(names = "--development-port", defaultValue = "8281", description = "Development gateway port (default: ${DEFAULT-VALUE}).")
        int developmentPort;

        @Option(names = "--public-url", description = "URL clients reach the control plane at (default: http://localhost:PORT).")
        String publicUrl;

        @Option(names = "--production-gateway-url", description = "URL clients reach the production gateway at.")
        String productionGatewayUrl;

        @Option(names = "--development-gateway-url", description = "URL clients reach the development gateway at.")
        String developmentGatewayUrl;

        @Option(names = "--data-dir", defaultValue = "./data", description = "Embedded database directory (default: ${DEFAULT-VALUE}).")
        Path dataDir;

        @Option(names = "--db-url", defaultValue = "${env:GATEHOUSE_DB_URL}",
                description = "JDBC URL of a PostgreSQL database instead of the embedded one (env GATEHOUSE_DB_URL).")
        String dbUrl;

        @Option(names = "--db-user", defaultValue = "${env:GATEHOUSE_DB_USER}", description = "Database user (env GATEHOUSE_DB_USER).")
        String dbUser;

        @Option(names = "--db-password", defaultValue = "${env:GATEHOUSE_DB_PASSWORD}",
                description = "Database password (env GATEHOUSE_DB_PASSWORD).")
        String dbPassword;

        @Option(names = "--admin-password", defaultValue = "${env:GATEHOUSE_ADMIN_PASSWORD}",
                description = "First admin's password on a new store (env GATEHOUSE_ADMIN_PASSWORD); random and printed once otherwise.")
        String adminPassword;

        @Option(names = "--jwks-refresh-interval", defaultValue = "PT30S",
                description = "Shortest time between two JWKS fetches for one issuer on unknown key IDs, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration jwksRefreshInterval;

        @Override
        public Integer call() throws InterruptedException {
            StoreConfig store = dbUrl == null || dbUrl.isBlank()
                    ? StoreConfig.embedded(dataDir)
                    : new StoreConfig(dbUrl, dbUser, dbPassword, 10);
            GatehouseConfig config = new GatehouseConfig(bind, port, productionPort, developmentPort, publicUrl,
                    productionGatewayUrl, developmentGatewayUrl, store, adminPassword, demo, Duration.ofMillis(200), jwksRefreshInterval);
            Gatehouse gatehouse = Gatehouse.start(config, Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gatehouse.close();
                stopped.countDown();
            }, "gatehouse-shutdown"));
            printWelcome(gatehouse);
            stopped.await();
            return 0;
        }

        private void printWelcome(Gatehouse gatehouse) {
            String url = gatehouse.publicUrl();
            System.out.println();
            System.out.println("  Gatehouse is running.");
            System.out.println("    control plane and identity provider  " + url + "   (API contract: " + url + "/api/openapi.yaml)");
            System.out.println("    production gateway                   http://localhost:" + gatehouse.gatewayPort(Environment.PRODUCTION));
            System.out.println("    development gateway                  http://localhost:" + gatehouse.gatewayPort(Environment.DEVELOPMENT));
            if (demo) {
                System.out.println();
                System.out.println("  Demo: organization 'acme' (users ada/admin, pat/publisher, alice/subscriber;");
                System.out.println("  passwords are <user>-demo-password) with the Orders API deployed and published.");
                System.out.println("  Try it (the README's quickstart goes through the whole guide):");
                System.out.println("    T=$(curl -s -X POST '" + url + "/t/acme/oauth2/token?grant_type=password&client_id=gatehouse-cli"
                        + "&username=alice&password=alice-demo-password' -H 'Content-Type: application/x-www-form-urlencoded' | jq -r .access_token)");
                System.out.println("    curl -s -H \"Authorization: Bearer $T\" " + url + "/api/orgs/acme/apis | jq");
            }
            System.out.println();
        }
    }
}
