package dev.discoveryd.nodeclient.fake;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A self-signed certificate for 127.0.0.1 made with the JDK's keytool: PKCS#12 for the server, PEM for clients. */
public record TestCertificate(Path keyStore, Path pem, String password) {
    public static TestCertificate create(Path dir) throws IOException, InterruptedException {
        Path keyStore = dir.resolve("server.p12");
        Path pem = dir.resolve("server.pem");
        String password = "changeit";
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "server",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
                "-storepass", password, "-file", pem.toString()));
        return new TestCertificate(keyStore, pem, password);
    }

    public KeyCertOptions serverOptions() {
        return new PfxOptions().setPath(keyStore.toString()).setPassword(password);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
