"""Python client for the Stenographer audit log (standard library only).

    from stenographer_audit import AuditService
    audit = AuditService(base_url="http://localhost:8080", tenant="acme", application="case-portal",
                         token=token)
    receipt = audit.log_event("officer-17", "case.view", {"caseId": "C-1"}).result(timeout=30)
"""

from .client import AuditService, Receipt
from .errors import (AuditClientError, DeliveryFailedError, EventRejectedError, IdempotencyConflictError,
                     InvalidEventError, QueueFullError, ReceiptMismatchError)
from .jcs import canonical_bytes

__all__ = [
    "AuditService", "Receipt", "canonical_bytes",
    "AuditClientError", "InvalidEventError", "QueueFullError", "EventRejectedError",
    "IdempotencyConflictError", "DeliveryFailedError", "ReceiptMismatchError",
]
__version__ = "0.1.0"
