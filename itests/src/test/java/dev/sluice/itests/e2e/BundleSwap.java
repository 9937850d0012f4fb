package dev.sluice.itests.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Updates a bundle of a running distribution the way an administrator does: uploads a rebuilt jar on the web
 * console's Bundles page (Install/Update; a bundle with the same symbolic name is updated in place).
 */
final class BundleSwap {

    private final SluiceDistribution sluice;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BundleSwap(SluiceDistribution sluice) {
        this.sluice = sluice;
    }

    /** The jar in bundle/, with Bundle-Version {@code 1.0.0.<qualifier>}: a rebuild we can tell apart. */
    static byte[] rebuilt(Path jar, String qualifier) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().putValue("Bundle-Version", "1.0.0." + qualifier);
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return bytes.toByteArray();
    }

    /** Posts the jar to /system/console/bundles (action=install, start); the console updates in the background. */
    void upload(String fileName, byte[] jar) throws IOException, InterruptedException {
        String boundary = "----sluice" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, boundary, "action", "install");
        field(body, boundary, "bundlestart", "start");
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(jar);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String auth = Base64.getEncoder().encodeToString(("admin:" + sluice.adminPassword()).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.httpPort()
                        + "/system/console/bundles")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + auth)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 302 && response.statusCode() != 200) {
            throw new IOException("upload of " + fileName + ": " + response.statusCode() + " " + response.body());
        }
    }

    /** The state and version bundles.json reports for a symbolic name, e.g. "Active 1.0.0.swap1". */
    String stateOf(String symbolicName) throws IOException, InterruptedException {
        String json = sluice.getAsAdmin("/system/console/bundles.json").body();
        Matcher m = Pattern.compile("\\{[^{}]*\"symbolicName\":\"" + Pattern.quote(symbolicName) + "\"[^{}]*}")
                .matcher(json);
        if (!m.find()) {
            return "absent";
        }
        String entry = m.group();
        return value(entry, "state") + " " + value(entry, "version");
    }

    private static String value(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private static void field(ByteArrayOutputStream body, String boundary, String name, String value) throws IOException {
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

}
