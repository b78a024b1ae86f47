package dev.gatehouse.bench;

import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.route.RouteTable;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The route table's lookup in a table of {@code apis} APIs of 10 organizations, each API with eight resources
 * (literal and parameter segments mixed): a literal path, a path through two parameters, and a miss.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RouteMatchBenchmark {

    @Param({"10", "1000"})
    public int apis;

    private RouteTable table;

    @Setup
    public void compile() {
        List<RoutedApi> routed = new ArrayList<>();
        for (int i = 0; i < apis; i++) {
            routed.add(new RoutedApi("api-" + i, "org" + (i % 10), "API " + i, "/shop" + i, "v1",
                    "http://backend", Lifecycle.PUBLISHED, List.of(
                    new RouteResource("GET", "/orders", Set.of("read")),
                    new RouteResource("POST", "/orders", Set.of("write")),
                    new RouteResource("GET", "/orders/{id}", Set.of("read")),
                    new RouteResource("PUT", "/orders/{id}", Set.of("write")),
                    new RouteResource("GET", "/orders/{id}/lines/{line}", Set.of("read")),
                    new RouteResource("GET", "/orders/new", Set.of("read")),
                    new RouteResource("GET", "/customers/{id}", Set.of("read")),
                    new RouteResource("DELETE", "/customers/{id}", Set.of("admin"))), false, Set.of()));
        }
        table = RouteTable.compile(routed);
    }

    @Benchmark
    public RouteMatch literalPath() {
        return table.lookup("GET", "/org3/shop3/v1/orders");
    }

    @Benchmark
    public RouteMatch twoParameters() {
        return table.lookup("GET", "/org3/shop3/v1/orders/4711/lines/2");
    }

    @Benchmark
    public RouteMatch miss() {
        return table.lookup("GET", "/org3/shop3/v1/invoices/4711");
    }
}
