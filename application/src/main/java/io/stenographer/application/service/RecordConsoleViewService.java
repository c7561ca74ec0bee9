package io.stenographer.application.service;

import io.stenographer.application.port.in.ConsoleViewCommand;
import io.stenographer.application.port.in.RecordConsoleViewUseCase;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.TenantAccessDenied;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.PersonalField;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import java.util.Map;
import java.util.TreeMap;

public final class RecordConsoleViewService implements RecordConsoleViewUseCase {

    private final SelfAudit selfAudit;
    private final TransactionRunner transactions;

    private final StoredIdentifiers identifiers;

    public RecordConsoleViewService(SelfAudit selfAudit, TransactionRunner transactions,
            StoredIdentifiers identifiers) {
        this.identifiers = java.util.Objects.requireNonNull(identifiers);
        this.selfAudit = selfAudit;
        this.transactions = transactions;
    }

    @Override
    public void record(ConsoleViewCommand command) {
        // Only someone who may see something of the tenant leaves a view in its log.
        if (!command.caller().mayReadGovernance(command.tenant())) {
            throw new TenantAccessDenied(command.caller().subject(), Role.AUDITOR, command.tenant());
        }
        Map<String, JsonValue> metadata = new TreeMap<>();
        // An identifier the page was filtered by is recorded as the events store it: never a personal id in clear.
        command.details().forEach((key, value) -> metadata.put(key, new JsonString(switch (key) {
            case ConsoleViewCommand.ACTOR -> identifiers.of(command.tenant(), PersonalField.ACTOR_ID, value);
            case ConsoleViewCommand.RESOURCE_ID -> identifiers.of(command.tenant(), PersonalField.RESOURCE_ID, value);
            default -> value;
        })));
        metadata.put("page", new JsonString(command.page()));
        transactions.inTransaction(() -> {
            selfAudit.record(command.caller(), command.tenant(), ACTION, new JsonObject(metadata));
            return null;
        });
    }
}
