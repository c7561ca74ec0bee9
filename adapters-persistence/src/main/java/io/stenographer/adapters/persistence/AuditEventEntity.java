package io.stenographer.adapters.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** Row of {@code audit_event}. Package-private: rows never leave this adapter. */
@Entity
@Table(name = "audit_event")
class AuditEventEntity {

    @Id
    UUID id;
    String tenant;
    @Column(name = "received_at")
    Instant receivedAt;
    @Column(name = "submitted_by")
    String submittedBy;
    @Column(name = "actor_id")
    String actorId;
    @Column(name = "actor_type")
    String actorType;
    @Column(name = "actor_display_name")
    String actorDisplayName;
    String action;
    @Column(name = "resource_type")
    String resourceType;
    @Column(name = "resource_id")
    String resourceId;
    String reason;
    String outcome;
    @Column(name = "occurred_at")
    Instant occurredAt;
    @Column(name = "source_application")
    String sourceApplication;
    @Column(name = "source_ip")
    String sourceIp;
    @Column(name = "source_user_agent")
    String sourceUserAgent;
    @Column(name = "correlation_id")
    String correlationId;
    String metadata;
    @Column(name = "client_event_id")
    String clientEventId;
    /** The commitments of a v2 event, canonical JSON; null for v1. */
    String personal;
    @Column(name = "leaf_hash")
    byte[] leafHash;
}
