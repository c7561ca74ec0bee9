package io.stenographer.application.port.out;

import io.stenographer.domain.event.TenantId;
import java.util.UUID;

/**
 * The secret a public-records export pseudonymises and salts with: 32 bytes that only the log key's holder can
 * compute, the same every time for one report, so a report regenerated after its instance died has the same
 * digest, while its recipient cannot link pseudonyms back to people.
 */
@FunctionalInterface
public interface DeriveReportSecretPort {

    byte[] pseudonymSecret(TenantId tenant, UUID reportId);
}
