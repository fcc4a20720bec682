package dev.vecgrad.train.report;

import dev.vecgrad.core.io.Json;
import dev.vecgrad.testsupport.DebianPackages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven over the DevTools protocol (a WebSocket, from the JDK's HTTP
 * client): opens a page, collects its console errors, uncaught exceptions and network requests,
 * evaluates script in it and takes screenshots. {@link #find()} looks for the browser and, where
 * it is missing on a Debian machine run as root, installs Debian's {@code chromium} package.
 */
public final class HeadlessChromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on ws://[^:]+:(\\d+)/");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String[] found;

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();

    /** What a page did while loading. */
    public record PageLoad(List<String> problems, List<String> requests) {
    }

    /**
     * The browser's executable, or why it cannot be had: {@code [path, null]} or {@code [null,
     * reason]}. Looks on the PATH (and at {@code $VECGRAD_CHROMIUM}); when absent, on Debian as root,
     * runs {@code apt-get install chromium} (after {@code apt-get update} if the first try fails).
     */
    public static synchronized String[] find() {
        if (found == null) {
            Path exe = locate();
            String reason = null;
            if (exe == null) {
                reason = DebianPackages.install("chromium");
                exe = locate();
            }
            found = exe != null ? new String[] {exe.toString(), null}
                    : new String[] {null, "headless Chromium is not on the PATH and could not be installed (" + reason + "); install Debian's "
                            + "chromium package to run the browser tests"};
        }
        return found.clone();
    }

    private static Path locate() {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("VECGRAD_CHROMIUM");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            for (String name : new String[] {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
                candidates.add(Path.of(dir, name));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    /** Starts the browser on a blank page with a fresh profile. */
    public static HeadlessChromium start(String executable) throws Exception {
        Path profile = Files.createTempDirectory("vecgrad-chromium-");
        Process p = new ProcessBuilder(executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--remote-debugging-port=0", "--remote-allow-origins=*",
                "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IOException("chromium exited before listening"));
        }, "chromium-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return new HeadlessChromium(p, profile, port.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path profile, int port) throws Exception {
        this.process = process;
        this.profile = profile;
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageSocket = null;
        for (Object target : (List<?>) Json.parse(list)) {
            Map<?, ?> t = (Map<?, ?>) target;
            if ("page".equals(t.get("type"))) {
                pageSocket = (String) t.get("webSocketDebuggerUrl");
            }
        }
        if (pageSocket == null) {
            throw new IOException("chromium shows no page target: " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (String domain : new String[] {"Page", "Runtime", "Log", "Network"}) {
            call(domain + ".enable", Map.of());
        }
    }

    /** Receives the protocol's messages: replies complete their call, events are recorded. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                handle(Json.parseObject(partial.toString()));
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(Map<String, Object> message) {
        Object id = message.get("id");
        if (id != null) {
            CompletableFuture<Map<String, Object>> f = pending.remove(((Long) id).intValue());
            if (f != null) {
                f.complete(message);
            }
            return;
        }
        String method = (String) message.get("method");
        Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
        switch (method) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.exceptionThrown" -> problems.add("uncaught: " + Json.write(params.get("exceptionDetails")));
            case "Runtime.consoleAPICalled" -> {
                String type = (String) params.get("type");
                if ("error".equals(type) || "assert".equals(type) || "warning".equals(type)) {
                    problems.add("console." + type + ": " + Json.write(params.get("args")));
                }
            }
            case "Log.entryAdded" -> {
                Map<String, Object> entry = (Map<String, Object>) params.get("entry");
                if ("error".equals(entry.get("level")) || "warning".equals(entry.get("level"))) {
                    problems.add("log " + entry.get("level") + ": " + entry.get("text") + " " + entry.get("url"));
                }
            }
            case "Network.requestWillBeSent" -> requests.add((String) ((Map<String, Object>) params.get("request"))
                    .get("url"));
            default -> {
            }
        }
    }

    /** Sends a protocol command and waits for its result; an error reply is an exception. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Map<String, Object> m = reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (m.containsKey("error")) {
            throw new IOException(method + " failed: " + Json.write(m.get("error")));
        }
        return (Map<String, Object>) m.get("result");
    }

    /** Opens {@code file} in a viewport {@code width} wide and waits for its load event. */
    public PageLoad open(Path file, int width, int height) throws Exception {
        problems.clear();
        requests.clear();
        loaded = new CompletableFuture<>();
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
        call("Page.navigate", Map.of("url", file.toAbsolutePath().toUri().toString()));
        loaded.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new PageLoad(List.copyOf(problems), List.copyOf(requests));
    }

    /** The value of a script expression evaluated in the page (numbers, strings, booleans). */
    @SuppressWarnings("unchecked")
    public Object evaluate(String expression) throws Exception {
        Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IOException("script failed: " + Json.write(r.get("exceptionDetails")));
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** A PNG of the viewport, or of the whole page down to {@code maxHeight} pixels. */
    public byte[] screenshot(int width, int maxHeight) throws Exception {
        Object h = evaluate("document.documentElement.scrollHeight");
        int height = (int) Math.min(maxHeight, ((Number) h).longValue());
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
        Map<String, Object> r = call("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode((String) r.get("data"));
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the browser is stopped below either way
        }
        // Chromium runs helper processes that may still write to the profile after the browser exits.
        List<ProcessHandle> helpers = process.toHandle().descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle h : helpers) {
            h.destroy();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
        deleteTree(profile);
    }

    /** Deletes the profile directory this class created; files that vanish meanwhile are fine. */
    private static void deleteTree(Path dir) throws IOException {
        for (int attempt = 0; Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException
                    | java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 5) {
                    throw new IOException("cannot delete the browser profile " + dir, e);
                }
            }
        }
    }
}
