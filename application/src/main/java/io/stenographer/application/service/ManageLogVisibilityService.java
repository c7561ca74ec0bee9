package io.stenographer.application.service;

import io.stenographer.application.port.in.ManageLogVisibilityUseCase;
import io.stenographer.application.port.out.StoreLogVisibilityPort;
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
 * Opening a tenant's checkpoint or hash tiles to anyone is a compliance admin's decision, recorded as an
 * {@value #VISIBILITY_CHANGED} event in the same transaction. A public checkpoint tells anyone that the tenant exists
 * and how its log grows; public level-0 tiles also reveal every leaf hash by index, which lets anyone confirm a guess
 * of a field a redacting export withheld (docs/FORMATS.md, "Storage and reads").
 */
public final class ManageLogVisibilityService implements ManageLogVisibilityUseCase {

    static final String VISIBILITY_CHANGED = "audit.log-visibility-changed";

    private final StoreLogVisibilityPort store;
    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;
    private final Clock clock;

    public ManageLogVisibilityService(StoreLogVisibilityPort store, SelfAudit selfAudit,
            TransactionRunner transactions, Clock clock) {
        this.store = store;
        this.selfAudit = selfAudit;
        this.transactions = transactions;
        this.clock = clock;
    }

    @Override
    public LogVisibility visibility(Caller caller, TenantId tenant) {
        caller.requireGovernanceReader(tenant);
        return transactions.inTransaction(() -> store.visibility(tenant));
    }

    @Override
    public LogVisibility change(ChangeLogVisibilityCommand command) {
        command.caller().require(Role.COMPLIANCE_ADMIN, command.tenant());
        return transactions.inTransaction(() -> {
            LogVisibility current = store.visibilityForChange(command.tenant());
            if (current.publicCheckpoint() == command.publicCheckpoint()
                    && current.publicHashTiles() == command.publicHashTiles()) {
                return current; // nothing changes, so nothing is recorded
            }
            LogVisibility changed = store.record(new LogVisibility(command.tenant(), command.publicCheckpoint(),
                    command.publicHashTiles(), command.caller().subject(), clock.instant()));
            selfAudit.record(command.caller(), command.tenant(), VISIBILITY_CHANGED,
                    new ResourceRef("log", command.tenant().value()),
                    new JsonObject(Map.of("publicCheckpoint", JsonBoolean.of(command.publicCheckpoint()),
                            "publicHashTiles", JsonBoolean.of(command.publicHashTiles()))));
            return changed;
        });
    }
}
