/*
 * Starts one OpenSearch node inside this JVM, bound to 127.0.0.1, for development and
 * tests on machines without Docker or an OpenSearch distribution.
 *
 * Why codelibs' OpenSearchRunner: it is published on Maven Central together with the
 * OpenSearch server and its standard modules (analysis-common, Netty4 transport, painless,
 * ...) and loads them from the classpath, so one JVM is a complete single-node cluster.
 * This class only fixes what the runner would otherwise choose: the loopback address, the
 * HTTP port, single-node discovery and the state directory.
 *
 * Usage: java -cp 'LIB/*:CLASSES' LocalOpenSearch STATE_DIR HTTP_PORT
 */

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

public final class LocalOpenSearch {
    /*
     * The modules loaded: text analysis, the extra field types, reindex and HTTP. The
     * runner's default list adds scripting (painless, expressions, mustache), ingest,
     * percolator and more, whose start-up (painless' whitelists above all) doubles the
     * time to a green cluster; the screening service uses none of them.
     */
    static final String MODULES = String.join(",",
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.index.reindex.ReindexPlugin",
        "org.opensearch.transport.Netty4Plugin");

    private LocalOpenSearch() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalOpenSearch STATE_DIR HTTP_PORT");
            System.exit(2);
        }
        Path state = Path.of(args[0]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[1]);

        OpenSearchRunner runner = new OpenSearchRunner();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                System.err.println("error while stopping the node: " + e);
            } finally {
                stopped.countDown();
            }
        }, "local-engine-shutdown"));

        runner.onBuild((number, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", httpPort);
            settings.put("transport.port", 0);
            settings.put("node.name", "screening-local-os");
            settings.put("discovery.type", "single-node");
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            // A developer's disk may be fuller than production thresholds expect.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        }).build(OpenSearchRunner.newConfigs()
            .basePath(state.toString())
            .numOfNode(1)
            .moduleTypes(MODULES)
            .clusterName("screening-local"));
        runner.ensureYellow();
        System.out.println("local-engine: opensearch started on http://127.0.0.1:" + httpPort);
        stopped.await();
    }
}
