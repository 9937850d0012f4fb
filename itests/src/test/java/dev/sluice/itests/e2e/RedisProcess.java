package dev.sluice.itests.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian package redis-server) on a free loopback port, without persistence, as the shared
 * store of several Sluice nodes. It can be killed (SIGKILL, by its own pid) and started again on the same port.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final Path log;
    private Process process;

    private RedisProcess(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    public static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "redis-server").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Starts one on a free port, its output in {@code log}. */
    public static RedisProcess start(Path log) throws IOException, InterruptedException {
        RedisProcess redis = new RedisProcess(SluiceDistribution.freePort(), log);
        redis.restart();
        return redis;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public String where() {
        return "127.0.0.1:" + port;
    }

    /** Starts the server (again, on the same port) and waits until it says it is ready. */
    public void restart() throws IOException, InterruptedException {
        long before = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "yes")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        boolean ready = SluiceDistribution.await(Duration.ofSeconds(20), () -> {
            try {
                return Files.readString(log).substring((int) before).contains("Ready to accept connections");
            } catch (IOException e) {
                return false;
            }
        });
        if (!ready || !process.isAlive()) {
            kill();
            throw new IOException("redis-server on port " + port + " did not start; see " + log);
        }
    }

    /** SIGKILL: Redis gone without a goodbye, as in a crash. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
