package io.stenographer.adapters.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
class AuditEventRepository implements PanacheRepositoryBase<AuditEventEntity, UUID> {
}
