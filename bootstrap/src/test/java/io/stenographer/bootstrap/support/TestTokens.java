package io.stenographer.bootstrap.support;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Bearer tokens for tests, signed with the key the WireMock OIDC server publishes. Variants break
 * exactly one property each: signature, expiry, issuer, audience.
 */
public final class TestTokens {

    public static final String ISSUER = "https://server.example.com";
    public static final String AUDIENCE = "stenographer";

    private TestTokens() {
    }

    public static String writer(String subject, String... tenants) {
        return valid(subject, Set.of("audit-writer"), tenants);
    }

    public static String auditor(String subject, String... tenants) {
        return valid(subject, Set.of("auditor"), tenants);
    }

    public static String admin(String subject, String... tenants) {
        return valid(subject, Set.of("compliance-admin"), tenants);
    }

    public static String valid(String subject, Set<String> roles, String... tenants) {
        return claims(subject, roles, tenants).sign();
    }

    /** Roles and tenants as usual, plus per-tenant grants ("grant:<role>:<tenant>") that replace their product. */
    public static String withGrants(String subject, Set<String> roles, List<String> grants, String... tenants) {
        return claims(subject, roles, tenants).claim("grants", grants).sign();
    }

    /** Signed by a key the issuer never published, under the issuer's key id. */
    public static String badSignature(String subject, Set<String> roles, String... tenants) {
        return claims(subject, roles, tenants).jws().keyId("1").sign(foreignKeys().getPrivate());
    }

    public static String expired(String subject, Set<String> roles, String... tenants) {
        return claims(subject, roles, tenants)
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign();
    }

    public static String wrongIssuer(String subject, Set<String> roles, String... tenants) {
        return claims(subject, roles, tenants).issuer("https://attacker.example.org").sign();
    }

    public static String wrongAudience(String subject, Set<String> roles, String... tenants) {
        return claims(subject, roles, tenants).audience("some-other-service").sign();
    }

    private static JwtClaimsBuilder claims(String subject, Set<String> roles, String... tenants) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .upn(subject)
                .preferredUserName(subject)
                .groups(roles)
                .claim("tenants", List.of(tenants))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(600));
    }

    private static KeyPair foreignKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
