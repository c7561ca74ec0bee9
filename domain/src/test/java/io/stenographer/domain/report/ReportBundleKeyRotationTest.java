package io.stenographer.domain.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stenographer.domain.checkpoint.Ed25519Keys;
import io.stenographer.domain.checkpoint.KeySet;
import io.stenographer.domain.checkpoint.NoteSigner;
import io.stenographer.domain.event.Outcome;
import io.stenographer.domain.report.bundle.ReportBundleVerification;
import io.stenographer.domain.report.bundle.ReportBundleVerifier;
import io.stenographer.domain.report.bundle.ReportBundleWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** A report bundle made before a key rotation (checkpoint of size 6 by the old key) against the log's key set. */
class ReportBundleKeyRotationTest {

    private final ReportFixture log = new ReportFixture();
    private final NoteSigner newKey = new NoteSigner("stenographer.test", Ed25519Keys.generate().getPrivate());

    private byte[] bundle() throws Exception {
        for (int i = 0; i < 6; i++) {
            log.add("user-" + i, "case.view", "C-" + i, Outcome.SUCCESS, "ticket " + i,
                    ReportFixture.T0.plusSeconds(i), ReportRulesTest.json("{\"n\":" + i + "}"));
        }
        ReportFixture.Built built = log.build(ReportType.FOIA_EXPORT,
                ReportParameters.period(ReportFixture.T0, ReportFixture.T0.plusSeconds(3600)), ReportFormat.BUNDLE,
                null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportBundleWriter.write(built.document(), built.events(), body -> log.signer.sign(body), out);
        return out.toByteArray();
    }

    private ReportBundleVerification verify(KeySet keys) throws Exception {
        return new ReportBundleVerifier(keys, ReportFixture.ORIGIN).verify(new ByteArrayInputStream(bundle()));
    }

    @Test
    void aReportMadeBeforeTheRotationVerifiesWithTheKeySet() throws Exception {
        KeySet rotatedLater = KeySet.single(log.signer.verifier()).rotatedTo(newKey.verifier(), 10);
        ReportBundleVerification result = verify(rotatedLater);
        assertThat(result.failures()).isEmpty();
        assertThat(result.events()).isEqualTo(6);
    }

    @Test
    void aReportWhoseHandoverCheckpointLacksTheNewKeysSignatureFails() throws Exception {
        // The fixture signs with the old key alone; the service cosigns the checkpoint at a handover size.
        ReportBundleVerification result = verify(KeySet.single(log.signer.verifier()).rotatedTo(newKey.verifier(), 6));
        assertThat(result.failures()).singleElement().asString()
                .startsWith("checkpoint.txt: the signature does not verify").contains("key handover");
    }

    @Test
    void aReportWhoseCheckpointTheOldKeySignedAfterItsRetirementFails() throws Exception {
        ReportBundleVerification result = verify(KeySet.single(log.signer.verifier()).rotatedTo(newKey.verifier(), 3));
        assertThat(result.failures()).hasSize(2)
                .anySatisfy(f -> assertThat(f).startsWith("checkpoint.txt: the signature does not verify")
                        .contains("valid only for sizes 0..3"))
                // The manifest too: a retired key vouches for nothing past its era, not even a report's contents.
                .anySatisfy(f -> assertThat(f).startsWith("MANIFEST.note: the signature does not verify")
                        .endsWith("still signing at tree size 6"));
    }

    @Test
    void aReportSignedByAKeyOutsideTheSetFails() throws Exception {
        ReportBundleVerification result = verify(KeySet.single(newKey.verifier()));
        assertThat(result.failures()).anySatisfy(f -> assertThat(f).startsWith("checkpoint.txt: the signature"))
                .anySatisfy(f -> assertThat(f).startsWith("MANIFEST.note: the signature"))
                .anySatisfy(f -> assertThat(f).startsWith("verifier-key.txt: is not the trusted key"));
    }
}
