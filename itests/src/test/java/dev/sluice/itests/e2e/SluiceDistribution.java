package dev.sluice.itests.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real distribution, unpacked from {@code sluice.tar.gz} into a fresh directory and run as a process
 * through {@code bin/sluice}, on free loopback ports. Tests configure it by writing files into its
 * {@code deploy/} directory, as an administrator would.
 */
public final class SluiceDistribution implements AutoCloseable {

    private static final Pattern CSRF = Pattern.compile("name='csrf' value='([^']+)'");
    private static final Pattern BUNDLE_COUNTS = Pattern.compile("\"s\":\\[(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)]");

    private final Path home;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private long startedAtNanos;
    private int smtpPort;

    private SluiceDistribution(Path home, int httpPort) {
        this.home = home;
        this.httpPort = httpPort;
    }

    /** Unpacks a fresh copy of the distribution. */
    public static SluiceDistribution unpack(String name) throws IOException, InterruptedException {
        Path tar = Path.of(System.getProperty("sluice.distribution.tar", "../distribution/target/sluice.tar.gz"));
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException("distribution not built: " + tar);
        }
        Path work = Path.of(System.getProperty("sluice.itests.work", "target/work"));
        Files.createDirectories(work);
        Path dir = Files.createTempDirectory(work, name + "-");
        run(dir, "tar", "xzf", tar.toAbsolutePath().toString(), "-C", dir.toString());
        return new SluiceDistribution(dir.resolve("sluice"), freePort());
    }

    public Path home() {
        return home;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Deploys a static route: mail for {@code domains} goes to {@code hosts} ({@code host:port}, in order). */
    public void route(String name, String domains, String tls, String... hosts) throws IOException {
        configure("dev.sluice.routing.static-" + name + ".cfg", Map.of("domains", domains,
                "hosts", String.join(",", hosts), "tls", tls));
    }

    /** Waits until {@code count} instances of the DS component {@code name} are active. */
    public void awaitActiveComponents(String name, int count, Duration timeout) throws InterruptedException {
        String needle = "\"name\":\"" + name + "\",\"state\":\"active\"";
        int[] seen = {0};
        boolean ok = await(timeout, () -> {
            try {
                String body = getAsAdmin("/system/console/components.json").body();
                seen[0] = body.split(Pattern.quote(needle), -1).length - 1;
                return seen[0] >= count;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        if (!ok) {
            throw new AssertionError(seen[0] + " of " + count + " " + name + " components active after " + timeout);
        }
    }

    /** The spool file of a queued message (see bundles/queue-file/README.md, "Layout"). */
    public Path spoolFile(String queueId) {
        return home.resolve("spool/q").resolve(queueId.substring(0, 4)).resolve(queueId.substring(4, 6))
                .resolve(queueId);
    }

    /** The lines of log/delivery.log written so far, one JSON object each. */
    public DeliveryLog deliveryLog() throws IOException {
        return DeliveryLog.read(home.resolve("log/delivery.log"));
    }

    /** Writes a file into deploy/ atomically, so fileinstall never reads half of it. */
    public void deploy(String fileName, String content) throws IOException {
        Path deploy = home.resolve("deploy");
        Path tmp = Files.createTempFile(home, "deploy-", ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, deploy.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Copies a file (a bundle jar) into deploy/ atomically, as an administrator drops one in. */
    public void deployFile(Path source, String fileName) throws IOException {
        Path tmp = Files.createTempFile(home, "deploy-", ".tmp");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, home.resolve("deploy").resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes a file from deploy/ (fileinstall uninstalls the bundle or deletes the configuration). */
    public void undeploy(String fileName) throws IOException {
        Files.delete(home.resolve("deploy").resolve(fileName));
    }

    /** Writes a configuration file ({@code <pid>.cfg} or {@code <factoryPid>-<name>.cfg}) into deploy/. */
    public void configure(String fileName, Map<String, String> properties) throws IOException {
        StringBuilder text = new StringBuilder();
        properties.forEach((k, v) -> text.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
        deploy(fileName, text.toString());
    }

    /**
     * Replaces the shipped default listener ({@code 127.0.0.1:2525}) by one on a free loopback port, so that several
     * nodes and parallel builds never collide; {@code extra} adds listener keys (e.g. authUsers).
     */
    public int listenOnFreeSmtpPort(Map<String, String> extra) throws IOException {
        int port = freePort();
        Map<String, String> cfg = new java.util.LinkedHashMap<>();
        cfg.put("name", "default");
        cfg.put("address", "127.0.0.1");
        cfg.put("port", Integer.toString(port));
        cfg.putAll(extra);
        configure("dev.sluice.smtp.listener-default.cfg", cfg);
        smtpPort = port;
        return port;
    }

    /** The SMTP port chosen by {@link #listenOnFreeSmtpPort}. */
    public int smtpPort() {
        if (smtpPort == 0) {
            throw new IllegalStateException("call listenOnFreeSmtpPort first");
        }
        return smtpPort;
    }

    /** Waits until the SMTP listener answers with a 220 greeting. */
    public void awaitSmtpListener(Duration timeout) throws InterruptedException {
        String[] last = {"no answer"};
        boolean up = await(timeout, () -> {
            try (SmtpClient c = new SmtpClient(smtpPort())) {
                return true;
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        });
        if (!up) {
            throw new AssertionError("SMTP listener on port " + smtpPort + " not up after " + timeout + ": " + last[0]);
        }
    }

    /** Starts {@code bin/sluice}; also after {@link #stop} or {@link #kill}, on the same installation. */
    public SluiceDistribution start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/sluice").toString()).directory(home.toFile());
        builder.environment().put("SLUICE_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("SLUICE_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC");
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectErrorStream(true);
        Files.createDirectories(home.resolve("log"));
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log/console.out").toFile()));
        startedAtNanos = System.nanoTime();
        process = builder.start();
        return this;
    }

    /** Waits until every bundle is active; returns the time since {@link #start()}. */
    public Duration awaitAllBundlesActive(Duration timeout) throws InterruptedException {
        String[] last = {"no answer"};
        boolean ok = await(timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("Sluice exited with " + process.exitValue() + "; see " + home.resolve("log"));
            }
            if (!Files.exists(passwordFile())) {
                return false;
            }
            try {
                HttpResponse<String> response = get("/system/console/bundles.json", "admin", adminPassword());
                last[0] = response.statusCode() + " " + response.body();
                Matcher m = BUNDLE_COUNTS.matcher(response.body());
                return response.statusCode() == 200 && m.find()
                        && Integer.parseInt(m.group(1)) == Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3));
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        if (!ok) {
            throw new AssertionError("not all bundles active after " + timeout + ": " + abbreviate(last[0]));
        }
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    public Path passwordFile() {
        return home.resolve("conf/admin-password.txt");
    }

    public String adminPassword() throws IOException {
        return Files.readString(passwordFile(), StandardCharsets.UTF_8).strip();
    }

    public HttpResponse<String> get(String path, String user, String password) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header("Authorization", basic(user, password));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> getAsAdmin(String path) throws IOException, InterruptedException {
        return get(path, "admin", adminPassword());
    }

    /** A form POST as the admin user, as a script or another site's page would send it (no browser). */
    public HttpResponse<String> postAsAdmin(String path, Map<String, String> form, String... headers)
            throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", basic("admin", adminPassword()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .headers(headers.length == 0 ? new String[] {"Accept", "*/*"} : headers)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Submits a form of a console page as its own form would: with the CSRF token the page renders, taken from a GET
     * of that page first. Fails unless the answer is 303 See Other; returns the text, without markup, of the page it
     * points to, which shows the result.
     */
    public String consoleAction(String page, Map<String, String> form) throws IOException, InterruptedException {
        Map<String, String> withToken = new java.util.HashMap<>(form);
        withToken.put("csrf", csrfToken(page));
        HttpResponse<String> r = postAsAdmin(page, withToken);
        String location = r.headers().firstValue("Location").orElse(null);
        if (r.statusCode() != 303 || location == null) {
            throw new AssertionError("POST " + page + " " + form + ": " + r.statusCode() + " " + abbreviate(r.body()));
        }
        HttpResponse<String> shown = getAsAdmin(URI.create("http://127.0.0.1:" + httpPort + page).resolve(location)
                .toString().substring(("http://127.0.0.1:" + httpPort).length()));
        return shown.body().replaceAll("<[^>]+>", " ");
    }

    /** The CSRF token a console page renders into its forms for the admin user. */
    public String csrfToken(String page) throws IOException, InterruptedException {
        HttpResponse<String> shown = getAsAdmin(page);
        Matcher m = CSRF.matcher(shown.body());
        if (shown.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no CSRF token on " + page + ": " + shown.statusCode() + " " + abbreviate(shown.body()));
        }
        return m.group(1);
    }

    /** Waits until log/sluice.log contains {@code text}. */
    public boolean awaitLog(Duration timeout, String text) throws InterruptedException {
        return await(timeout, () -> {
            try {
                return log().contains(text);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** The running JVM's threads, id → name, from the web console's thread dump (Status → Threads). */
    public Map<Long, String> threads() throws IOException, InterruptedException {
        HttpResponse<String> dump = getAsAdmin("/system/console/status-Threads.txt");
        if (dump.statusCode() != 200) {
            throw new IOException("thread dump: " + dump.statusCode() + " " + abbreviate(dump.body()));
        }
        Map<Long, String> threads = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\s*Thread #(\\d+)/(.*) \\[priority=").matcher(dump.body());
        while (m.find()) {
            threads.put(Long.parseLong(m.group(1)), m.group(2));
        }
        return threads;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as an init system stops it; returns the exit code, failing if it does not exit in time. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("Sluice did not stop within " + timeout + " of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: the crash a durable MTA must survive. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String log() throws IOException {
        Path log = home.resolve("log/sluice.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (isAlive()) {
            kill();
        }
    }

    /** Fails unless something listens on this TCP port, and only on loopback addresses (read from /proc/net). */
    public static void assertListensOnLoopbackOnly(int port) throws IOException {
        String portHex = String.format("%04X", port);
        List<String> listeners = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Files.readAllLines(Path.of(table)).stream().skip(1).map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f[1].endsWith(":" + portHex) && f[3].equals("0A"))
                    .forEach(f -> listeners.add(f[1].substring(0, f[1].indexOf(':'))));
        }
        if (listeners.isEmpty()) {
            throw new AssertionError("nothing listens on port " + port);
        }
        List<String> loopback = List.of("0100007F", "0000000000000000FFFF00000100007F",
                "00000000000000000000000001000000");
        if (!loopback.containsAll(listeners)) {
            throw new AssertionError("port " + port + " must listen on loopback only, listens on " + listeners);
        }
    }

    /** Closes what a test class started, skipping what never got created; every one is tried. */
    public static void closeAll(AutoCloseable... started) throws Exception {
        Exception first = null;
        for (AutoCloseable c : started) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Polls until the condition holds or the deadline passes. */
    public static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return condition.getAsBoolean();
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
