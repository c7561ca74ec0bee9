package io.stenographer.adapters.rest.logs;

import io.stenographer.application.port.in.LogProofsUseCase.ConsistencyAnswer;
import io.stenographer.domain.merkle.Hash;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** RFC 9162 consistency proof between two signed trees of one log. */
@Schema(name = "ConsistencyProof")
public record ConsistencyProofResponse(
        long fromSize,
        long toSize,
        String fromRootHash,
        String toRootHash,
        @Schema(description = "Base64 hashes") List<String> proof,
        String fromCheckpoint,
        String toCheckpoint) {

    public static ConsistencyProofResponse from(ConsistencyAnswer answer) {
        return new ConsistencyProofResponse(
                answer.from().treeSize(),
                answer.to().treeSize(),
                answer.from().checkpoint().rootHash().base64(),
                answer.to().checkpoint().rootHash().base64(),
                answer.proof().path().stream().map(Hash::base64).toList(),
                answer.from().signedNote(),
                answer.to().signedNote());
    }
}
