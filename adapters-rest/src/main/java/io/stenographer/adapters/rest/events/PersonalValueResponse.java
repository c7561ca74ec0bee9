package io.stenographer.adapters.rest.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.privacy.PersonalValueState;
import java.util.HexFormat;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the caller is shown of one committed personal value (docs/PRIVACY.md "Reading personal data"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "PersonalValue")
public record PersonalValueResponse(
        @Schema(enumeration = {"revealed", "withheld", "erased", "unreadable"}) String status,
        @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "The value, when revealed") String value,
        @Schema(description = "Hex of the 32-byte opening, when revealed: with the value it recomputes the leaf's "
                + "commitment") String opening,
        @Schema(description = "Why an unreadable value cannot be shown") String detail) {

    static PersonalValueResponse from(PersonalValueState state) {
        if (state instanceof PersonalValueState.Revealed revealed) {
            return new PersonalValueResponse("revealed", CanonicalJson.canonicalize(revealed.disclosure().value()),
                    HexFormat.of().formatHex(revealed.disclosure().opening()), null);
        }
        if (state instanceof PersonalValueState.Unreadable unreadable) {
            return new PersonalValueResponse("unreadable", null, null, unreadable.reason());
        }
        return new PersonalValueResponse(state instanceof PersonalValueState.Erased ? "erased" : "withheld", null,
                null, null);
    }
}
