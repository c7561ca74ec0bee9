package io.stenographer.domain.archive;

import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.CanonicalJson;
import io.stenographer.domain.json.JsonArray;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonParser;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.json.JsonValue;
import io.stenographer.domain.merkle.Hash;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an archive segment holds and why it is kept (format {@value #FORMAT}): the leaves
 * {@code [from, to)} of a tenant's log, the SHA-256 of the segment object, the Merkle root of exactly
 * that range, the signed checkpoint the range was archived under, the retention policies that
 * applied, and the date until which the store must keep the object.
 *
 * @param checkpointNote the full signed note of a checkpoint with {@code treeSize >= to}
 */
public record SegmentManifest(TenantId tenant, String objectKey, long from, long to, String objectSha256,
        Hash rangeRoot, long checkpointTreeSize, String checkpointNote, List<PolicyRef> policies,
        Instant retainUntil, Instant archivedAt) {

    public static final String FORMAT = "stenographer.segment-manifest/v1";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** A retention policy version that governed at least one event of the segment. */
    public record PolicyRef(String id, int version, String legalBasis) {
        public PolicyRef {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(legalBasis, "legalBasis");
            if (version < 1) {
                throw new IllegalArgumentException("policy version must be at least 1");
            }
        }
    }

    public SegmentManifest {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(objectKey, "objectKey");
        Objects.requireNonNull(rangeRoot, "rangeRoot");
        Objects.requireNonNull(checkpointNote, "checkpointNote");
        Objects.requireNonNull(retainUntil, "retainUntil");
        Objects.requireNonNull(archivedAt, "archivedAt");
        policies = List.copyOf(policies);
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a segment covers a non-empty range [from, to), was [" + from + ", "
                    + to + ")");
        }
        if (checkpointTreeSize < to) {
            throw new IllegalArgumentException("the checkpoint (size " + checkpointTreeSize
                    + ") does not cover the segment's range ending at " + to);
        }
        if (!SHA256_HEX.matcher(objectSha256).matches()) {
            throw new IllegalArgumentException("objectSha256 must be 64 lower-case hex digits");
        }
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("a segment names at least one retention policy");
        }
    }

    public long count() {
        return to - from;
    }

    public byte[] toCanonicalBytes() {
        return CanonicalJson.canonicalBytes(toJson());
    }

    public JsonObject toJson() {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("format", new JsonString(FORMAT));
        members.put("tenant", new JsonString(tenant.value()));
        members.put("objectKey", new JsonString(objectKey));
        members.put("from", new JsonNumber(from));
        members.put("to", new JsonNumber(to));
        members.put("count", new JsonNumber(count()));
        members.put("objectSha256", new JsonString(objectSha256));
        members.put("rangeRoot", new JsonString(rangeRoot.hex()));
        members.put("checkpointTreeSize", new JsonNumber(checkpointTreeSize));
        members.put("checkpoint", new JsonString(checkpointNote));
        List<JsonValue> refs = new ArrayList<>();
        for (PolicyRef policy : policies) {
            Map<String, JsonValue> ref = new LinkedHashMap<>();
            ref.put("id", new JsonString(policy.id()));
            ref.put("version", new JsonNumber(policy.version()));
            ref.put("legalBasis", new JsonString(policy.legalBasis()));
            refs.add(new JsonObject(ref));
        }
        members.put("policies", new JsonArray(refs));
        members.put("retainUntil", new JsonString(retainUntil.toString()));
        members.put("archivedAt", new JsonString(archivedAt.toString()));
        return new JsonObject(members);
    }

    public static SegmentManifest parse(byte[] utf8) {
        try {
            JsonObject json = (JsonObject) JsonParser.parse(new String(utf8, StandardCharsets.UTF_8), 8);
            if (!FORMAT.equals(text(json, "format"))) {
                throw new IllegalArgumentException("not a " + FORMAT + " manifest");
            }
            List<PolicyRef> policies = new ArrayList<>();
            for (JsonValue value : ((JsonArray) json.get("policies")).elements()) {
                JsonObject ref = (JsonObject) value;
                policies.add(new PolicyRef(text(ref, "id"), (int) number(ref, "version"), text(ref, "legalBasis")));
            }
            SegmentManifest manifest = new SegmentManifest(new TenantId(text(json, "tenant")), text(json, "objectKey"),
                    number(json, "from"), number(json, "to"), text(json, "objectSha256"),
                    Hash.fromHex(text(json, "rangeRoot")), number(json, "checkpointTreeSize"),
                    text(json, "checkpoint"), policies, Instant.parse(text(json, "retainUntil")),
                    Instant.parse(text(json, "archivedAt")));
            if (number(json, "count") != manifest.count()) {
                throw new IllegalArgumentException("count does not match the range");
            }
            return manifest;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid segment manifest: " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject json, String name) {
        if (!(json.get(name) instanceof JsonString value)) {
            throw new IllegalArgumentException("manifest field '" + name + "' is missing or not a string");
        }
        return value.value();
    }

    private static long number(JsonObject json, String name) {
        if (!(json.get(name) instanceof JsonNumber value) || value.value() != Math.rint(value.value())) {
            throw new IllegalArgumentException("manifest field '" + name + "' is missing or not an integer");
        }
        return (long) value.value();
    }
}
