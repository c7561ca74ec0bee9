package io.stenographer.bootstrap.privacy;

import io.stenographer.adapters.persistence.PostgresPersonalData;
import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.DataKeyCache;
import io.stenographer.application.service.EraseSubjectService;
import io.stenographer.application.service.PersonalDataVault;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataPolicy;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Personal data at rest (docs/PRIVACY.md): the keyring, tenants' data policies, the vault and erasure. */
@ApplicationScoped
public class PrivacyConfiguration {

    /**
     * The keyring, loaded at start-up so that a missing or exposed key file stops the service before it accepts
     * events. A missing file is generated only while no live data key is stored: generating one over stored keys
     * would silently make every personal value unreadable, so that start is refused instead.
     */
    @Produces
    @Singleton
    @Startup
    RotatableKeyring keyring(@ConfigProperty(name = "stenographer.privacy.keyring-file") Path file,
            @ConfigProperty(name = "stenographer.privacy.generate-keyring", defaultValue = "true") boolean generate,
            @ConfigProperty(name = KeyringPassphrase.SETTING) Optional<String> passphrase,
            PostgresPersonalData store, TransactionRunner transactions) {
        Optional<KeyringPassphrase> secret = KeyringPassphrase.of(passphrase);
        boolean mayGenerate = generate && !Files.exists(file)
                && transactions.inTransaction(() -> store.keysNotWrappedUnder("", 1)).isEmpty();
        if (generate && !Files.exists(file) && !mayGenerate) {
            throw new IllegalStateException("the personal-data keyring " + file + " is missing, but the database"
                    + " holds data keys wrapped under it: restore the file (generating a new one would make every"
                    + " stored personal value unreadable)");
        }
        return new RotatableKeyring(file, secret, LocalKeyring.load(file, mayGenerate, secret));
    }

    /** Each tenant's data policy: the default, or {@code stenographer.privacy.tenant."<id>".*} where set. */
    @Produces
    @Singleton
    DataPolicies policies(Config config,
            @ConfigProperty(name = "stenographer.privacy.personal-fields") List<String> defaultFields,
            @ConfigProperty(name = "stenographer.privacy.subject-field", defaultValue = "actor.id") String subject) {
        DataPolicy fallback = policy(defaultFields, subject);
        Map<TenantId, DataPolicy> byTenant = new ConcurrentHashMap<>();
        return tenant -> byTenant.computeIfAbsent(tenant, t -> {
            String prefix = "stenographer.privacy.tenant.\"" + t.value() + "\".";
            Optional<List<String>> fields = config.getOptionalValues(prefix + "personal-fields", String.class);
            Optional<String> field = config.getOptionalValue(prefix + "subject-field", String.class);
            return fields.isEmpty() && field.isEmpty() ? fallback
                    : policy(fields.orElse(List.copyOf(fallback.personalFields().stream()
                            .map(f -> f.path()).toList())), field.orElse(subject));
        });
    }

    private static DataPolicy policy(List<String> fields, String subject) {
        List<String> named = fields.stream().map(String::strip).filter(f -> !f.isEmpty() && !f.equals("none")).toList();
        return DataPolicy.of(named, subject);
    }

    /** A tenant's data policy. */
    public interface DataPolicies extends java.util.function.Function<TenantId, DataPolicy> {
    }

    @Produces
    @Singleton
    PersonalDataVault vault(DataPolicies policies, KeyManagementPort keyManagement, PostgresPersonalData store,
            TransactionRunner transactions, Clock clock,
            @ConfigProperty(name = "stenographer.privacy.key-cache-size", defaultValue = "10000") int cacheSize,
            @ConfigProperty(name = "stenographer.privacy.key-cache-ttl", defaultValue = "PT5M") Duration cacheTtl) {
        return new PersonalDataVault(policies, keyManagement, store, new DataKeyCache<>(cacheSize, cacheTtl, clock),
                transactions, new SecureRandom(), clock);
    }

    /** Its bean types include both use cases it implements: erasure, and revealing personal values to readers. */
    @Produces
    @Singleton
    EraseSubjectService erasures(PersonalDataVault vault, PostgresPersonalData store, SelfAudit selfAudit,
            TransactionRunner transactions) {
        return new EraseSubjectService(vault, store, selfAudit, transactions);
    }
}
