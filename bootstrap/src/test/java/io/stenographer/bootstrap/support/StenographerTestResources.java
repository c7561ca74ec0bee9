package io.stenographer.bootstrap.support;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * Declares the real components every {@code @QuarkusTest} of the run shares: embedded PostgreSQL and
 * a WireMock OIDC provider, and an S3Mock process holding the archive. Not restricted to annotated classes, so one Quarkus instance serves all.
 */
@QuarkusTestResource(value = EmbeddedPostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = S3MockTestResource.class, restrictToAnnotatedClass = false)
public final class StenographerTestResources {

    private StenographerTestResources() {
    }
}
