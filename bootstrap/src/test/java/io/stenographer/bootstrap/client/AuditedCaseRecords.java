package io.stenographer.bootstrap.client;

import io.stenographer.client.cdi.Audited;
import jakarta.enterprise.context.ApplicationScoped;

/** An application's service, as {@code AuditedInterceptorTest} calls it: each method is audited by annotation. */
@ApplicationScoped
public class AuditedCaseRecords {

    @Audited(action = "case.export", resourceType = "case", resourceId = "caseId", waitForReceipt = true)
    public String export(String caseId, String format) {
        return caseId + "." + format;
    }

    /** The default: the event is queued and the call returns without waiting for the receipt. */
    @Audited(action = "case.print", resourceType = "case", resourceId = "caseId")
    public String print(String caseId) {
        return "printed " + caseId;
    }

    @Audited(action = "case.export", resourceType = "case", resourceId = "caseId", waitForReceipt = true)
    public String exportMissing(String caseId) {
        throw new IllegalStateException("no case " + caseId);
    }

    /** Fails with an Error, not an Exception, after it may have done part of its work. */
    @Audited(action = "case.render", resourceType = "case", resourceId = "caseId", waitForReceipt = true)
    public String renderTooDeep(String caseId) {
        throw new StackOverflowError("rendering case " + caseId);
    }

    @Audited(action = "case.view", resourceType = "case", resourceId = "caseId", waitForReceipt = true)
    public String viewSealed(String caseId) {
        throw new SecurityException("case " + caseId + " is sealed");
    }
}
