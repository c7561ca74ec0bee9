package io.stenographer.adapters.rest.logs;

import io.stenographer.application.port.in.LogProofsUseCase.InclusionAnswer;
import io.stenographer.domain.merkle.Hash;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9162 inclusion proof of one leaf in a signed tree. Hashes are base64, as in checkpoints. */
@Schema(name = "InclusionProof")
public record InclusionProofResponse(
        String tenant,
        String eventId,
        long leafIndex,
        @Schema(description = "Hex leaf hash") String leafHash,
        long treeSize,
        @Schema(description = "Base64 root hash of the tree of size treeSize") String rootHash,
        @Schema(description = "Base64 sibling hashes, leaf to root") List<String> inclusionProof,
        @Schema(description = "C2SP signed note of the checkpoint the proof is against") String checkpoint) {

    public static InclusionProofResponse from(InclusionAnswer answer) {
        return new InclusionProofResponse(
                answer.leaf().tenant().value(),
                answer.leaf().eventId().toString(),
                answer.leaf().index(),
                answer.leaf().leafHash().hex(),
                answer.checkpoint().treeSize(),
                answer.checkpoint().checkpoint().rootHash().base64(),
                answer.proof().path().stream().map(Hash::base64).toList(),
                answer.checkpoint().signedNote());
    }
}
