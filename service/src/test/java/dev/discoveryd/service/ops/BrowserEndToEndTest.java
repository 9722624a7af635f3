package dev.discoveryd.service.ops;

import dev.discoveryd.service.DiscoveryServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pages in a real headless Chromium: the landing page renders, its form leads to the inspect page, nothing echoed runs. */
class BrowserEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void landingFormInspectsAClusterAndHostileInputStaysText() throws Exception {
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=127.0.0.1:0",
                "--metrics-addr=", "--in-memory", "--event-loops=1");
             GrpcCaller client = new GrpcCaller(server.grpcPort(), false);
             WebDriver browser = new WebDriver(dir.resolve("profile"), dir.resolve("chromedriver.log"))) {
            WebPagesEndToEndTest.publish(client, "browser-cluster", "node-1", new byte[]{(byte) 0xca, (byte) 0xfe},
                    new byte[]{(byte) 192, (byte) 168, 0, 1});
            String home = "http://127.0.0.1:" + server.ops().landingPort() + "/";

            browser.open(home);
            assertThat(browser.script("return document.title")).asString().contains("cluster discovery service");
            assertThat(browser.script("return document.querySelector('h1').textContent")).isEqualTo("Cluster discovery service");
            byte[] png = browser.screenshotPng();
            Files.write(dir.resolve("landing.png"), png);
            assertThat(png).hasSizeGreaterThan(1000).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');

            browser.type(browser.find("#clusterID"), "browser-cluster");
            browser.click(browser.find("#inspect"));
            await().until(() -> browser.url().contains("/inspect?clusterID=browser-cluster"));
            assertThat(browser.script("return document.querySelectorAll('tr.affiliate').length")).isEqualTo(1);
            assertThat(browser.script("return document.querySelector('tr.affiliate td.data').textContent")).isEqualTo("cafe");
            assertThat(browser.script("return document.querySelector('tr.affiliate td.endpoints').textContent")).isEqualTo("c0a80001");

            String hostile = "<script>document.title='owned'</script><img src=x onerror=\"document.title='owned'\">";
            browser.open(home);
            browser.type(browser.find("#clusterID"), hostile);
            browser.click(browser.find("#inspect"));
            await().until(() -> browser.url().contains("/inspect?clusterID="));
            assertThat(browser.script("return document.getElementById('cluster').textContent")).isEqualTo(hostile);
            assertThat(browser.script("return document.getElementById('clusterID').value")).isEqualTo(hostile);
            assertThat(browser.script("return document.querySelectorAll('script, img').length")).isEqualTo(0);
            assertThat(browser.script("return document.title")).as("no script replaced it").isEqualTo("Cluster " + hostile);
        }
    }
}
