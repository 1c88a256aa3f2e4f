package ai.tarka.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the report in headless Chromium (offline: the report has no external resources) and checks that every chart
 * was drawn and the screenshot shows them. Runs with {@code -Pbrowser}; fails, never skips, without Chromium.
 */
@Tag("browser")
class BrowserRenderTest {
    @TempDir
    Path dir;

    static Path chromium() {
        for (String p : List.of(System.getProperty("tarka.chromium", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        throw new AssertionError("headless Chromium is required for the report rendering test (-Pbrowser) but none was found "
                + "at /usr/bin/chromium, /usr/bin/chromium-browser or /usr/bin/google-chrome: install it with "
                + "'apt-get install -y chromium' or point -Dtarka.chromium=PATH at one");
    }

    static String run(Path chromium, Path profile, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void reportRendersItsChartsInHeadlessChromium() throws Exception {
        Path chromium = chromium();
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render("Benchmark", Reports.sample(), "test"));
        String dom = run(chromium, dir.resolve("p1"), "--virtual-time-budget=10000", "--dump-dom", html.toUri().toString());
        // 3 task bar charts + radar + speed; each ECharts chart draws into its own canvas
        assertThat(dom).contains("data-charts=\"5\"");
        int canvases = dom.split("<canvas", -1).length - 1;
        assertThat(canvases).isGreaterThanOrEqualTo(5);

        Path png = dir.resolve("shot.png");
        run(chromium, dir.resolve("p2"), "--virtual-time-budget=10000", "--window-size=1280,2400", "--screenshot=" + png,
                html.toUri().toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1280);
        // the page is mostly white; drawn bars, lines and text give many distinct colours
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
        assertThat(colours.size()).isGreaterThan(50);
    }
}
