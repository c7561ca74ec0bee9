package io.stenographer.application.service;

import io.stenographer.application.port.out.KeyManagementPort;
import io.stenographer.application.port.out.StorePersonalDataPort;
import io.stenographer.application.port.out.StorePersonalDataPort.StoredDataKey;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.application.port.out.WrappedDataKey;
import io.stenographer.domain.event.TenantId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * After a key-encryption key rotation, wraps every live data key again under the current generation, a batch per
 * short transaction, so that the old generation can later be destroyed. No leaf, commitment or value changes: only
 * the wrap of each data key does, and a key erased meanwhile stays erased (the update skips it).
 */
public final class RewrapDataKeysService {

    /** What one pass did: keys rewrapped, keys erased while the pass ran, and whether any key is left behind. */
    public record RewrapOutcome(int rewrapped, int skippedErased, boolean complete) {
    }

    private final KeyManagementPort keyManagement;
    private final StorePersonalDataPort store;
    private final TransactionRunner transactions;
    private final int batchSize;

    public RewrapDataKeysService(KeyManagementPort keyManagement, StorePersonalDataPort store,
            TransactionRunner transactions, int batchSize) {
        this.keyManagement = Objects.requireNonNull(keyManagement);
        this.store = Objects.requireNonNull(store);
        this.transactions = Objects.requireNonNull(transactions);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.batchSize = batchSize;
    }

    /** Rewraps until no live key is wrapped under another generation than the current one, or {@code maxKeys}. */
    public RewrapOutcome rewrapAll(int maxKeys) {
        int rewrapped = 0;
        int skipped = 0;
        while (rewrapped + skipped < maxKeys) {
            // Generations are global to the keyring, so any tenant names the current one.
            String current = keyManagement.currentKeyEncryptionKeyId(TenantId.of("keyring"));
            int limit = Math.min(batchSize, maxKeys - rewrapped - skipped);
            List<StoredDataKey> pending = transactions.inTransaction(() -> store.keysNotWrappedUnder(current, limit));
            if (pending.isEmpty()) {
                return new RewrapOutcome(rewrapped, skipped, true);
            }
            Map<StoredDataKey, WrappedDataKey> rewraps = new HashMap<>();
            for (StoredDataKey key : pending) {
                rewraps.put(key, keyManagement.wrap(key.tenant(), keyManagement.unwrap(key.tenant(), key.wrapped())));
            }
            int[] counts = transactions.inTransaction(() -> {
                int done = 0;
                int erased = 0;
                for (Map.Entry<StoredDataKey, WrappedDataKey> rewrap : rewraps.entrySet()) {
                    if (store.rewrap(rewrap.getKey().id(), rewrap.getValue())) {
                        done++;
                    } else {
                        erased++;
                    }
                }
                return new int[] {done, erased};
            });
            rewrapped += counts[0];
            skipped += counts[1];
        }
        String current = keyManagement.currentKeyEncryptionKeyId(TenantId.of("keyring"));
        return new RewrapOutcome(rewrapped, skipped,
                transactions.inTransaction(() -> store.keysNotWrappedUnder(current, 1)).isEmpty());
    }
}
