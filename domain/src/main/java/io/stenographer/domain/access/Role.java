package io.stenographer.domain.access;

import java.util.Optional;

/** What a caller may do, as named in the identity provider's role claim. */
public enum Role {
    AUDIT_WRITER("audit-writer"),
    AUDITOR("auditor"),
    COMPLIANCE_ADMIN("compliance-admin"),
    /** Sees the personal values behind a v2 event's commitments; everyone else sees the commitments only. */
    PERSONAL_DATA_READER("personal-data-reader");

    private final String claimValue;

    Role(String claimValue) {
        this.claimValue = claimValue;
    }

    public String claimValue() {
        return claimValue;
    }

    public static Optional<Role> fromClaimValue(String value) {
        for (Role role : values()) {
            if (role.claimValue.equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
