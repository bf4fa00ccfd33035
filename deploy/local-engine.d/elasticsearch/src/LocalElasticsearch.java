/*
 * Starts one Elasticsearch node inside this JVM, bound to 127.0.0.1, for development and
 * tests on machines without Docker or an Elasticsearch distribution.
 *
 * Why the plain Node and not the launcher of the distribution: Maven Central carries the
 * server jar and the Netty4 transport plugin, but no distribution. deploy/local-engine lays
 * out a minimal ES_HOME whose modules/transport-netty4/ holds that plugin's jars and a
 * plugin descriptor, and this class builds the Environment and starts the Node the way the
 * distribution's bootstrap does, minus the native checks that refuse to run as root (CI
 * runs as root). The test framework's MockNode was tried first: its static initialiser
 * runs the same refusal. Only core features are available (keyword/standard fields,
 * bool/term queries, aliases), which is all the screening service asks of the engine.
 *
 * Usage: java -cp 'LIB/*:CLASSES' LocalElasticsearch ES_HOME STATE_DIR HTTP_PORT
 */

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;

public final class LocalElasticsearch {
    private LocalElasticsearch() {}

    /**
     * Builds the node through whichever public constructor this server version has: up to
     * 8.17 Node(Environment); from 8.18 the plugins are loaded first (PluginsLoader) and
     * handed to Node(Environment, PluginsLoader). Reflection keeps one launcher for both.
     */
    static Node newNode(Environment environment, Path home) throws Exception {
        try {
            return Node.class.getConstructor(Environment.class).newInstance(environment);
        } catch (NoSuchMethodException olderApiMissing) {
            Class<?> loaders = Class.forName("org.elasticsearch.plugins.PluginsLoader");
            try {
                Object modules = loaders.getMethod("loadModulesBundles", Path.class)
                    .invoke(null, home.resolve("modules"));
                Object plugins = loaders.getMethod("loadPluginsBundles", Path.class)
                    .invoke(null, home.resolve("plugins"));
                Object loader = loaders.getMethod("createPluginsLoader", Set.class, Set.class, Map.class)
                    .invoke(null, modules, plugins, Map.of());
                return Node.class.getConstructor(Environment.class, loaders).newInstance(environment, loader);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LocalElasticsearch ES_HOME STATE_DIR HTTP_PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path state = Path.of(args[1]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[2]);
        Path config = Files.createDirectories(state.resolve("config"));
        Path data = Files.createDirectories(state.resolve("data"));
        Path logs = Files.createDirectories(state.resolve("logs"));

        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", data.toString())
            .put("path.logs", logs.toString())
            .put("cluster.name", "screening-local")
            .put("node.name", "screening-local-es")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", 0)
            .put("discovery.type", "single-node")
            // A developer's disk may be fuller than production thresholds expect.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();

        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);

        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), config, () -> "screening-local-es");
        Node node = newNode(environment, home);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("error while stopping the node: " + e);
            } finally {
                stopped.countDown();
            }
        }, "local-engine-shutdown"));
        node.start();
        System.out.println("local-engine: elasticsearch started on http://127.0.0.1:" + httpPort);
        stopped.await();
    }
}
