package io.stenographer.application.service.fakes;

import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.KeyUnavailable;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.privacy.DataKey;
import io.stenographer.domain.privacy.PersonalDataUnreadable;
import io.stenographer.domain.privacy.PersonalValueCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Key-encryption keys in memory, with generations that rotate and can be destroyed; counts unwrap calls. */
public final class InMemoryKeyManagement implements KeyManagementPort {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, DataKey> generations = new HashMap<>();
    private final byte[] indexKey = new byte[32];
    private String current;
    private int next = 1;
    public final AtomicInteger unwraps = new AtomicInteger();

    public InMemoryKeyManagement() {
        random.nextBytes(indexKey);
        rotate();
    }

    public synchronized String rotate() {
        current = "memory-" + next++;
        generations.put(current, DataKey.generate(random));
        return current;
    }

    public synchronized void destroy(String generation) {
        generations.remove(generation);
    }

    @Override
    public synchronized WrappedDataKey wrap(TenantId tenant, DataKey key) {
        return new WrappedDataKey(current, PersonalValueCipher.seal(generations.get(current),
                PersonalValueCipher.binding("test-wrap", List.of(tenant.value(), current)), key.bytes(), random));
    }

    @Override
    public synchronized DataKey unwrap(TenantId tenant, WrappedDataKey wrapped) {
        unwraps.incrementAndGet();
        DataKey kek = generations.get(wrapped.keyEncryptionKeyId());
        if (kek == null) {
            throw new KeyUnavailable(tenant, wrapped.keyEncryptionKeyId(), "it was destroyed");
        }
        try {
            return DataKey.of(PersonalValueCipher.open(kek, PersonalValueCipher.binding("test-wrap",
                    List.of(tenant.value(), wrapped.keyEncryptionKeyId())), wrapped.bytes()));
        } catch (PersonalDataUnreadable e) {
            throw new KeyUnavailable(tenant, wrapped.keyEncryptionKeyId(), "the wrap does not open");
        }
    }

    @Override
    public synchronized String currentKeyEncryptionKeyId(TenantId tenant) {
        return current;
    }

    @Override
    public byte[] blindIndex(TenantId tenant, String purpose, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(indexKey, "HmacSHA256"));
            for (String part : List.of(tenant.value(), purpose, value)) {
                mac.update(part.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
