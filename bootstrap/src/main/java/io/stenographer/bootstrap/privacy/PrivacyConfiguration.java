package io.stenographer.bootstrap.privacy;

import io.stenographer.adapters.kms.AwsKmsKeyManagement;
import io.stenographer.adapters.persistence.PostgresJobLock;
import io.stenographer.adapters.persistence.PostgresPersonalData;
import io.stenographer.application.port.in.RotateKeyEncryptionKeysUseCase;
import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.service.DataKeyCache;
import io.stenographer.application.service.EraseSubjectService;
import io.stenographer.application.service.PersonalDataVault;
import io.stenographer.application.service.RewrapDataKeysService;
import io.stenographer.application.service.RotateKeyEncryptionKeysService;
import io.stenographer.application.service.SelfAudit;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataPolicy;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
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

    /** Looked up when the reload runs: both are produced by this class. */
    private final Instance<LocalKeyring> keyrings;
    private final Instance<PersonalDataVault> vaults;
    /** stenographer.privacy.key-management=aws-kms: the keyring file is then neither read nor generated. */
    private final boolean awsKms;

    PrivacyConfiguration(Instance<LocalKeyring> keyrings, Instance<PersonalDataVault> vaults,
            @ConfigProperty(name = AwsKmsConfiguration.SETTING, defaultValue = "local") String keyManagement) {
        this.keyrings = keyrings;
        this.vaults = vaults;
        this.awsKms = AwsKmsConfiguration.chosen(keyManagement);
    }

    /** The local keyring, or AWS KMS (docs/PRIVACY.md §2); only the one chosen is built, at start-up. */
    @Produces
    @Singleton
    @Startup
    KeyManagementPort keyManagement(Instance<AwsKmsKeyManagement> kms) {
        return awsKms ? kms.get() : keyrings.get();
    }

    /**
     * The keyring, loaded at start-up so that a missing or exposed key file stops the service before it accepts
     * events. A missing file is generated only while no live data key is stored: generating one over stored keys
     * would silently make every personal value unreadable, so that start is refused instead.
     */
    @Produces
    @Singleton
    @Typed(LocalKeyring.class)
    LocalKeyring keyring(@ConfigProperty(name = "stenographer.privacy.keyring-file") Path file,
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
        return LocalKeyring.load(file, mayGenerate, secret);
    }

    /**
     * Each tenant's data policy: the default, or {@code stenographer.privacy.tenant."<id>".*} where set. All are
     * read at start-up, so a policy naming a field that cannot be personal stops the start, not an ingest.
     */
    @Produces
    @Singleton
    @Startup
    DataPolicies policies(Config config,
            @ConfigProperty(name = "stenographer.privacy.personal-fields") List<String> defaultFields,
            @ConfigProperty(name = "stenographer.privacy.subject-field", defaultValue = "actor.id") String subject) {
        DataPolicy fallback = policy(defaultFields, subject);
        Map<TenantId, DataPolicy> byTenant = new ConcurrentHashMap<>();
        String prefix = "stenographer.privacy.tenant.";
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String rest = name.substring(prefix.length());
            int dot = rest.lastIndexOf('.');
            String tenant = rest.substring(0, Math.max(dot, 0)).replace("\"", "");
            if (dot < 0 || tenant.isEmpty()) {
                throw new IllegalStateException(name + ": expected stenographer.privacy.tenant.\"<tenant>\"."
                        + "personal-fields or .subject-field");
            }
            TenantId id = TenantId.of(tenant);
            String tenantPrefix = prefix + "\"" + tenant + "\".";
            List<String> fields = config.getOptionalValues(tenantPrefix + "personal-fields", String.class)
                    .or(() -> config.getOptionalValues(prefix + tenant + ".personal-fields", String.class))
                    .orElse(fallback.personalFields().stream().map(f -> f.path()).toList());
            String field = config.getOptionalValue(tenantPrefix + "subject-field", String.class)
                    .or(() -> config.getOptionalValue(prefix + tenant + ".subject-field", String.class))
                    .orElse(subject);
            try {
                byTenant.put(id, policy(fields, field));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the data policy of tenant " + tenant + " is invalid: "
                        + e.getMessage(), e);
            }
        }
        return tenant -> byTenant.getOrDefault(tenant, fallback);
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

    /**
     * Stops the start when a tenant's policy would make an identifier personal (or no longer personal) after its
     * events were recorded the other way (docs/PRIVACY.md §1a): the database is migrated by then.
     */
    void checkIdentifierForms(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent startup,
            PersonalDataVault vault) {
        vault.checkIdentifierForms();
    }

    /** Wraps every live data key again under the current key-encryption key generation (after a rotation). */
    @Produces
    @Singleton
    RewrapDataKeysService rewrapDataKeys(KeyManagementPort keyManagement, PostgresPersonalData store,
            TransactionRunner transactions) {
        return new RewrapDataKeysService(keyManagement, store, transactions, 500);
    }

    /**
     * Instances share one keyring file: a generation another instance (or an operator's tool) rotated or destroyed
     * takes effect here at the next reload, and the keys cached here are then dropped, so a destroyed generation
     * stops decrypting within one reload period rather than one cache TTL.
     */
    @Scheduled(every = "${stenographer.privacy.keyring-reload-every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reloadKeyring() {
        if (awsKms) {
            return;
        }
        LocalKeyring keyring = keyrings.get();
        List<String> before = keyring.generations();
        keyring.reload();
        if (!before.equals(keyring.generations())) {
            vaults.get().forgetCachedKeys();
        }
    }

    /**
     * The key-encryption key schedule (docs/PRIVACY.md §5), run once a day by {@code KeyRotationTrigger}. With AWS KMS
     * it only logs that it skipped: KMS rotates the key itself.
     */
    @Produces
    @Singleton
    RotateKeyEncryptionKeysUseCase keyEncryptionKeySchedule(KeyManagementPort keyManagement,
            RewrapDataKeysService rewrap, PostgresJobLock locks, Clock clock,
            @ConfigProperty(name = "stenographer.privacy.kek-rotate-every") Duration rotateEvery,
            @ConfigProperty(name = "stenographer.privacy.kek-keep-retired-for") Duration keepRetiredFor) {
        if (awsKms) {
            return new KmsManagedKeyRotation(keyManagement.currentKeyEncryptionKeyId(TenantId.of("keyring")));
        }
        return new RotateKeyEncryptionKeysService(new KeyringGenerations(keyrings.get()), rewrap, locks, clock,
                rotateEvery, keepRetiredFor);
    }

    /** Its bean types include both use cases it implements: erasure, and revealing personal values to readers. */
    @Produces
    @Singleton
    EraseSubjectService erasures(PersonalDataVault vault, PostgresPersonalData store, SelfAudit selfAudit,
            TransactionRunner transactions) {
        return new EraseSubjectService(vault, store, selfAudit, transactions);
    }
}
