package dev.gatehouse.server;

import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.model.Environment;
import dev.gatehouse.store.StoreConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
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

    static final class RoleConverter implements CommandLine.ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return Role.parse(value);
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, with bad configuration answered in one line. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::refuseBadConfiguration);
    }

    /** A bad option value is a one-line message, not a stack trace. */
    private static int refuseBadConfiguration(Exception e, CommandLine command, CommandLine.ParseResult parsed)
            throws Exception {
        if (e instanceof IllegalArgumentException) {
            command.getErr().println("gatehouse: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        throw e;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** What one process of Gatehouse runs. */
    enum Role {
        ALL, CONTROL_PLANE, GATEWAY;

        static Role parse(String name) {
            return switch (name) {
                case "all" -> ALL;
                case "control-plane" -> CONTROL_PLANE;
                case "gateway" -> GATEWAY;
                default -> throw new CommandLine.TypeConversionException(
                        "role must be all, control-plane or gateway, was '" + name + "'");
            };
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start Gatehouse. Role all (the default) runs the control plane, the built-in identity "
                    + "provider and both gateways in one process; to scale out, run control-plane processes on one "
                    + "shared PostgreSQL and gateway processes fed by them."})
    static final class Start implements Callable<Integer> {

        @Option(names = "--role", defaultValue = "all", converter = RoleConverter.class,
                description = "all, control-plane or gateway (default: ${DEFAULT-VALUE}).")
        Role role;

        @Option(names = "--gateway-token", defaultValue = "${env:GATEHOUSE_GATEWAY_TOKEN}",
                description = "Secret shared by control planes and gateway processes, at least 32 characters "
                        + "(env GATEHOUSE_GATEWAY_TOKEN). Opens the control plane's gateway feed; role gateway needs it.")
        String gatewayToken;

        @Option(names = "--environment", defaultValue = "production",
                description = "Role gateway: the environment served, production or development (default: ${DEFAULT-VALUE}).")
        String environment;

        @Option(names = "--control-plane-url", description = "Role gateway: the control plane's URL.")
        String controlPlaneUrl;

        @Option(names = "--gateway-id", description = "Role gateway: its name in the control plane's list (default: host name and a random suffix).")
        String gatewayId;

        @Option(names = "--gateway-url", description = "Role gateway: how clients reach it, shown to operators and named by DPoP proofs (behind a load balancer ending TLS).")
        String gatewayUrl;

        @Option(names = "--redis-url", defaultValue = "${env:GATEHOUSE_REDIS_URL}",
                description = "Role gateway: the Redis the environment's gateways share rate-limit counts in, "
                        + "redis://host:6379 (env GATEHOUSE_REDIS_URL). Without it each gateway allows its share of a tier.")
        String redisUrl;

        @Option(names = "--status-port", defaultValue = "8100",
                description = "Role gateway: port of /health and /ready (default: ${DEFAULT-VALUE}).")
        int statusPort;

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

        @Option(names = "--production-gateway-url", description = "URL clients reach the production gateway at (invocation URLs; what DPoP proofs name).")
        String productionGatewayUrl;

        @Option(names = "--development-gateway-url", description = "URL clients reach the development gateway at (invocation URLs; what DPoP proofs name).")
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

        @Option(names = "--master-key", defaultValue = "${env:GATEHOUSE_MASTER_KEY}",
                description = "32 random bytes in base64 (openssl rand -base64 32) that seal the identity provider's "
                        + "private keys in the database, the same on every control-plane replica (env "
                        + "GATEHOUSE_MASTER_KEY). Required with --db-url; the embedded database keeps one in "
                        + "<data-dir>/master.key.")
        String masterKey;

        @Option(names = "--admin-password", defaultValue = "${env:GATEHOUSE_ADMIN_PASSWORD}",
                description = "First admin's password on a new store (env GATEHOUSE_ADMIN_PASSWORD); random and printed once otherwise.")
        String adminPassword;

        @Option(names = "--jwks-refresh-interval", defaultValue = "PT30S",
                description = "Shortest time between two JWKS fetches for one issuer on unknown key IDs, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration jwksRefreshInterval;

        @Option(names = "--analytics-interval", defaultValue = "PT10S",
                description = "How often gateways ship their analytics to the control plane, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration analyticsInterval;

        @Option(names = "--analytics-buffer", defaultValue = "100000",
                description = "Analytics rows a gateway keeps while the control plane cannot take them; older ones "
                        + "are dropped and counted in gatehouse_gateway_analytics_dropped_total (default: ${DEFAULT-VALUE}).")
        int analyticsBuffer;

        @Override
        public Integer call() throws InterruptedException {
            AutoCloseable running;
            if (role == Role.GATEWAY) {
                GatewayProcess gateway = GatewayProcess.start(gatewayProcessConfig(), Clock.systemUTC());
                running = gateway;
            } else {
                Gatehouse gatehouse = Gatehouse.start(gatehouseConfig(), Clock.systemUTC());
                running = gatehouse;
                printWelcome(gatehouse);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    running.close();
                } catch (Exception e) {
                    System.err.println("Gatehouse did not stop cleanly: " + e.getMessage());
                }
                stopped.countDown();
            }, "gatehouse-shutdown"));
            stopped.await();
            return 0;
        }

        private GatehouseConfig gatehouseConfig() {
            boolean embedded = dbUrl == null || dbUrl.isBlank();
            StoreConfig store = embedded ? StoreConfig.embedded(dataDir) : new StoreConfig(dbUrl, dbUser, dbPassword, 10);
            return new GatehouseConfig(bind, port, productionPort, developmentPort, publicUrl, productionGatewayUrl,
                    developmentGatewayUrl, store, adminPassword, demo, Duration.ofMillis(200), jwksRefreshInterval,
                    role == Role.ALL, gatewayToken, new AnalyticsOptions(analyticsInterval, analyticsBuffer),
                    masterKey(embedded));
        }

        /** The configured master key; without one, the embedded database's own file, and no default for a shared one. */
        private MasterKey masterKey(boolean embedded) {
            if (masterKey != null && !masterKey.isBlank()) {
                return MasterKey.parse(masterKey);
            }
            if (!embedded) {
                throw new IllegalArgumentException("master-key is required with --db-url: set --master-key or "
                        + "GATEHOUSE_MASTER_KEY to 32 random bytes in base64, the same on every replica");
            }
            return MasterKey.inFile(dataDir.resolve("master.key"));
        }

        private GatewayProcessConfig gatewayProcessConfig() {
            Environment served = Environment.fromWireName(environment);
            int gatewayPort = served == Environment.PRODUCTION ? productionPort : developmentPort;
            String id = gatewayId != null ? gatewayId : hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
            return new GatewayProcessConfig(bind, served, gatewayPort, statusPort, controlPlaneUrl, gatewayToken, id,
                    gatewayUrl, dataDir, jwksRefreshInterval, Duration.ofSeconds(1), redisUrl,
                    new AnalyticsOptions(analyticsInterval, analyticsBuffer));
        }

        private static String hostName() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    host = "gateway";
                }
            }
            return host.replaceAll("[^A-Za-z0-9._-]", "-");
        }

        private void printWelcome(Gatehouse gatehouse) {
            String url = gatehouse.publicUrl();
            System.out.println();
            System.out.println("  Gatehouse is running.");
            System.out.println("    control plane and identity provider  " + url + "   (API contract: " + url + "/api/openapi.yaml)");
            if (gatehouse.runsGateways()) {
                System.out.println("    production gateway                   http://localhost:" + gatehouse.gatewayPort(Environment.PRODUCTION));
                System.out.println("    development gateway                  http://localhost:" + gatehouse.gatewayPort(Environment.DEVELOPMENT));
            } else {
                System.out.println("    gateways: separate processes, started with --role gateway --control-plane-url " + url);
            }
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
