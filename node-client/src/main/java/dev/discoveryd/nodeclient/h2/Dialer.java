package dev.discoveryd.nodeclient.h2;

import dev.discoveryd.nodeclient.state.ServerAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Opens the socket an {@link H2Connection} runs on: TCP with a connect timeout, then for TLS a handshake that
 * offers only {@code h2} by ALPN and verifies the server's certificate and host name unless told not to.
 */
public final class Dialer {
    /** How to trust a TLS server: the JVM's CAs, the CAs of a PEM file, or anyone ({@code --insecure}). */
    public record Trust(boolean anyone, String caFile) {
    }

    private Dialer() {
    }

    /** {@code connectTimeout} bounds the TCP connect; {@code handshakeTimeout} the TLS handshake after it. */
    public static Socket open(ServerAddress server, Trust trust, Duration connectTimeout, Duration handshakeTimeout)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(server.host(), server.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException("unknown host " + server.host());
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, millis(connectTimeout));
            if (!server.tls()) {
                return socket;
            }
            SSLSocket tls = (SSLSocket) context(trust).getSocketFactory().createSocket(socket, server.host(), server.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            if (!trust.anyone()) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            tls.setSSLParameters(parameters);
            socket.setSoTimeout(millis(handshakeTimeout));
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("TLS handshake timed out");
            }
            if (!"h2".equals(tls.getApplicationProtocol())) {
                tls.close();
                throw new IOException("the server did not agree to HTTP/2 (ALPN h2) over TLS");
            }
            return tls;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    private static SSLContext context(Trust trust) throws IOException {
        try {
            if (!trust.anyone() && trust.caFile() == null) {
                return SSLContext.getDefault();
            }
            TrustManager[] managers;
            if (trust.anyone()) {
                managers = new TrustManager[] {new TrustEveryone()};
            } else {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                try (InputStream pem = Files.newInputStream(Path.of(trust.caFile()))) {
                    for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                        store.setCertificateEntry("ca-" + i++, certificate);
                    }
                }
                if (i == 0) {
                    throw new IOException("no certificates in " + trust.caFile());
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                managers = factory.getTrustManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, managers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** {@code --insecure} on an https:// endpoint: encrypted, but the server is not authenticated. */
    private static final class TrustEveryone extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
