package io.stenographer.application.service;

import io.stenographer.application.port.in.ManageTileVisibilityUseCase;
import io.stenographer.application.port.out.StoreTileVisibilityPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Caller;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.ResourceRef;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonBoolean;
import io.stenographer.domain.json.JsonObject;
import java.time.Clock;
import java.util.Map;

/**
 * Opening a tenant's hash tiles to anyone is a compliance admin's decision, recorded as an
 * {@value #VISIBILITY_CHANGED} event in the same transaction: public level-0 tiles reveal every leaf hash by index,
 * which lets anyone confirm a guess of a field a redacting export withheld (docs/FORMATS.md, "Storage and reads").
 */
public final class ManageTileVisibilityService implements ManageTileVisibilityUseCase {

    static final String VISIBILITY_CHANGED = "audit.tile-visibility-changed";

    private final StoreTileVisibilityPort store;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;

    public ManageTileVisibilityService(StoreTileVisibilityPort store, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock) {
        this.store = store;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public TileVisibility visibility(Caller caller, TenantId tenant) {
        caller.requireGovernanceReader(tenant);
        return transactions.inTransaction(() -> store.visibility(tenant));
    }

    @Override
    public TileVisibility change(ChangeTileVisibilityCommand command) {
        command.caller().require(Role.COMPLIANCE_ADMIN, command.tenant());
        return transactions.inTransaction(() -> {
            TileVisibility current = store.visibility(command.tenant());
            if (current.publicHashTiles() == command.publicHashTiles()) {
                return current; // nothing changes, so nothing is recorded
            }
            TileVisibility changed = new TileVisibility(command.tenant(), command.publicHashTiles(),
                    command.caller().subject(), clock.instant());
            store.record(changed);
            selfAudit.record(command.caller(), command.tenant(), VISIBILITY_CHANGED,
                    new ResourceRef("hash-tiles", command.tenant().value()),
                    new JsonObject(Map.of("publicHashTiles", JsonBoolean.of(command.publicHashTiles()))));
            return changed;
        });
    }
}
