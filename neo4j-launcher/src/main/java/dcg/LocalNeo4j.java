package dcg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community embedded with its Bolt connector on 127.0.0.1, for development and tests.
 *
 * <p>Usage: {@code java -cp 'target/classes:target/lib/*' dcg.LocalNeo4j <dataDir> <port> <pageCacheMb> <txTimeoutSeconds>}.
 * The Node parent owns this process: it stops on SIGINT/SIGTERM and as soon as its standard input
 * closes, which happens when the parent exits for any reason, so no JVM is left behind.
 * Readiness is not announced here; the parent checks it with a real Bolt handshake.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    /** Settings with no typed constant in the public API: a local database has no clients to wait for at shutdown. */
    private static Path internalSettings(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path file = dataDir.resolve("launcher.conf");
            Files.writeString(file, String.join("\n",
                    "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
                    "internal.dbms.bolt.netty_server_shutdown_timeout=1",
                    ""));
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: LocalNeo4j <dataDir> <port> <pageCacheMb> <txTimeoutSeconds>");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheBytes = Long.parseLong(args[2]) * 1024L * 1024L;
        long txTimeoutSeconds = Long.parseLong(args[3]);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeoutSeconds))
                .loadPropertiesFromFile(internalSettings(dataDir))
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "neo4j-shutdown"));

        Thread parentWatch = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // the parent never writes; end of input means it has gone
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of input
            }
            System.exit(0);
        }, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();

        System.out.println("neo4j-launcher: bolt://127.0.0.1:" + port + " data=" + dataDir);
        stopped.await();
    }
}
