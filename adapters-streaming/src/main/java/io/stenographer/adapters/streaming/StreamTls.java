package io.stenographer.adapters.streaming;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the streaming transports: the JDK's default trust anchors plus, optionally, certificates from PEM files
 * (a receiver's private CA, or a self-signed receiver certificate), TLS 1.2 and 1.3 only, and the server's
 * certificate always checked against the target's host name (SNI set to it when it is a name).
 */
public final class StreamTls {

    /** The protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    private final SSLContext context;
    private final List<X509Certificate> anchors;

    private StreamTls(SSLContext context, List<X509Certificate> anchors) {
        this.context = context;
        this.anchors = List.copyOf(anchors);
    }

    /** The JDK's default trust anchors only. */
    public static StreamTls defaults() {
        return withExtraCertificates(List.of());
    }

    /**
     * The JDK's default trust anchors plus every certificate in the PEM files (each may hold several).
     *
     * @throws IllegalArgumentException naming the file that cannot be read or holds no certificate
     */
    public static StreamTls withExtraCertificates(List<Path> pemFiles) {
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            List<X509Certificate> trusted = new ArrayList<>();
            int n = 0;
            for (X509Certificate anchor : defaultAnchors()) {
                anchors.setCertificateEntry("default-" + n++, anchor);
                trusted.add(anchor);
            }
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Path file : pemFiles) {
                List<Certificate> certificates;
                try (InputStream in = Files.newInputStream(file)) {
                    certificates = new ArrayList<>(x509.generateCertificates(in));
                } catch (IOException | GeneralSecurityException e) {
                    throw new IllegalArgumentException("cannot read the PEM certificates in " + file + ": "
                            + e.getMessage(), e);
                }
                if (certificates.isEmpty()) {
                    throw new IllegalArgumentException(file + " holds no PEM certificate");
                }
                for (Certificate certificate : certificates) {
                    anchors.setCertificateEntry("extra-" + n++, certificate);
                    trusted.add((X509Certificate) certificate);
                }
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new StreamTls(context, trusted);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the streaming transports", e);
        }
    }

    /**
     * Every trust anchor, as concatenated PEM certificates: for a client that takes its trust as PEM text (the Kafka
     * producer's {@code ssl.truststore.certificates}), so that it trusts exactly what the other transports trust.
     */
    public String anchorsPem() {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate anchor : anchors) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(anchor.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a trust anchor cannot be encoded: " + anchor.getSubjectX500Principal(),
                        e);
            }
        }
        return pem.toString();
    }

    private static List<X509Certificate> defaultAnchors() throws GeneralSecurityException {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        List<X509Certificate> anchors = new ArrayList<>();
        for (TrustManager manager : system.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                anchors.addAll(Arrays.asList(x509.getAcceptedIssuers()));
            }
        }
        return anchors;
    }

    /**
     * Layers TLS over a connected socket (closing the TLS socket closes it) and completes the handshake, with the
     * certificate checked against {@code host}.
     */
    public SSLSocket handshake(Socket connected, String host, int port) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connected, host, port, true);
        try {
            tls.setSSLParameters(clientParameters(tls.getSSLParameters(), tls.getSupportedProtocols(), host));
            tls.setUseClientMode(true);
            tls.startHandshake();
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }

    /**
     * A client {@link SSLEngine} for {@code host:port} configured as {@link #handshake} configures a socket: the
     * same context (trust anchors), TLS 1.3 and 1.2 only, the certificate checked against {@code host}, SNI set to it
     * when it is a name. The caller runs the handshake.
     */
    public SSLEngine clientEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(clientParameters(engine.getSSLParameters(), engine.getSupportedProtocols(), host));
        return engine;
    }

    private static SSLParameters clientParameters(SSLParameters parameters, String[] supported, String host) {
        parameters.setProtocols(PROTOCOLS.stream().filter(Arrays.asList(supported)::contains)
                .toArray(String[]::new));
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818 / 6125 host name check
        if (!IP_LITERAL.matcher(host).matches()) {
            parameters.setServerNames(List.of(new SNIHostName(host))); // SNI carries names, never addresses
        }
        return parameters;
    }
}
