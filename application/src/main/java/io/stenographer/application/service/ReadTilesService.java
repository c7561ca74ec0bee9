package io.stenographer.application.service;

import io.stenographer.application.port.in.EventPastRetention;
import io.stenographer.application.port.in.ReadTilesUseCase;
import io.stenographer.application.port.in.TileNotFound;
import io.stenographer.application.port.in.TileQuery;
import io.stenographer.application.port.out.LoadLogPort;
import io.stenographer.application.port.out.LoadLogPort.LeafWithEvent;
import io.stenographer.application.port.out.StoreLogVisibilityPort;
import io.stenographer.application.port.out.TransactionRunner;
import io.stenographer.domain.access.Role;
import io.stenographer.domain.event.AuditEvent;
import io.stenographer.domain.event.TenantId;
import io.stenographer.domain.json.JsonNumber;
import io.stenographer.domain.json.JsonObject;
import io.stenographer.domain.json.JsonString;
import io.stenographer.domain.log.LogIntegrityViolation;
import io.stenographer.domain.log.PublishedCheckpoint;
import io.stenographer.domain.merkle.Hash;
import io.stenographer.domain.merkle.MerkleHashes;
import io.stenographer.domain.tiles.EntryBundle;
import io.stenographer.domain.tiles.Tile;
import io.stenographer.domain.tiles.TileLayout;
import io.stenographer.domain.tiles.TilePath;
import io.stenographer.domain.tiles.TileTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves tiles only inside the tree of the latest signed checkpoint: a tile beyond it would show hashes nobody
 * signed. Entry bundles hold whole events, so reading one is recorded like a search; hash tiles reveal no content
 * and are served like proofs. Every entry is checked against its leaf hash before it leaves.
 */
public final class ReadTilesService implements ReadTilesUseCase {

    static final String ENTRIES_READ = "audit.entries-read";

    private final LoadLogPort log;
    private final ArchivedEventReader archived;
    private final SelfAudit selfAudit;
    private final StoreLogVisibilityPort visibility;
    private final LogCache cache;
    private final TransactionRunner transactions;

    public ReadTilesService(LoadLogPort log, ArchivedEventReader archived, SelfAudit selfAudit,
            StoreLogVisibilityPort visibility, LogCache cache, TransactionRunner transactions) {
        this.visibility = visibility;
        this.log = log;
        this.archived = archived;
        this.selfAudit = selfAudit;
        this.cache = cache;
        this.transactions = transactions;
    }

    @Override
    public Optional<byte[]> readPublic(TenantId tenant, TilePath path) {
        if (path.entries()) {
            return Optional.empty();
        }
        return transactions.inTransaction(() -> visibility.visibility(tenant).publicHashTiles()
                ? Optional.of(TileLayout.encode(hashes(tenant, inSignedTree(tenant, path))))
                : Optional.empty());
    }

    /** The tile, when the tree of the latest signed checkpoint has it. */
    private Tile inSignedTree(TenantId tenant, TilePath path) {
        long size = log.latestCheckpoint(tenant).map(PublishedCheckpoint::treeSize).orElse(0L);
        if (!TileLayout.exists(path.tile(), size)) {
            throw new TileNotFound(path.path() + " is not in the tree of the latest checkpoint (size " + size + ")");
        }
        return path.tile();
    }

    @Override
    public byte[] read(TileQuery query) {
        if (!query.caller().may(Role.AUDITOR, query.tenant())) {
            // Public hash tiles are public to every caller, not only to anonymous ones.
            Optional<byte[]> open = readPublic(query.tenant(), query.path());
            if (open.isPresent()) {
                return open.get();
            }
            query.caller().require(Role.AUDITOR, query.tenant());
        }
        TilePath path = query.path();
        Tile tile = path.tile();
        return transactions.inTransaction(() -> {
            inSignedTree(query.tenant(), path);
            if (!path.entries()) {
                return TileLayout.encode(hashes(query.tenant(), tile));
            }
            byte[] bundle = EntryBundle.encode(entries(query.tenant(), tile));
            selfAudit.record(query.caller(), query.tenant(), ENTRIES_READ, new JsonObject(Map.of(
                    "path", new JsonString(path.path()),
                    "fromIndex", new JsonNumber(tile.firstHash()),
                    "toIndex", new JsonNumber(tile.firstHash() + tile.width()))));
            return bundle;
        });
    }

    private List<Hash> hashes(TenantId tenant, Tile tile) {
        Optional<TileTree> cached = cache.tile(tenant, tile);
        if (cached.isPresent()) {
            return cached.get().hashes().subList(0, tile.width());
        }
        List<Hash> stored = log.tiles(tenant, List.of(tile)).getOrDefault(tile, List.of());
        if (stored.size() != tile.width()) {
            throw new LogIntegrityViolation("log of tenant " + tenant + " holds " + stored.size() + " of the "
                    + tile.width() + " hashes of " + tile.path() + "; run a verification");
        }
        cache.putIfWider(tenant, TileTree.of(tile, stored));
        return stored;
    }

    /** The leaf inputs, read back from the archive for purged events; each must hash to its leaf. */
    private List<byte[]> entries(TenantId tenant, Tile tile) {
        long from = tile.firstHash();
        List<LeafWithEvent> rows = log.leavesWithEvents(tenant, from, from + tile.width());
        if (rows.size() != tile.width()) {
            throw new LogIntegrityViolation("leaves [" + from + ", " + (from + tile.width()) + ") of " + tenant
                    + " are incomplete; run a verification");
        }
        ArchivedEventReader.IndexCursor fromArchive = archived.cursor(tenant);
        List<byte[]> entries = new ArrayList<>(rows.size());
        for (LeafWithEvent row : rows) {
            long index = row.leaf().index();
            AuditEvent event = row.event();
            if (event == null && row.purged()) {
                event = fromArchive.event(index).orElseThrow(() -> new EventPastRetention(row.leaf().eventId(),
                        null));
            }
            if (event == null) {
                throw new LogIntegrityViolation("the event at index " + index + " of " + tenant
                        + " is missing or unreadable; run a verification");
            }
            byte[] entry = event.leafInput();
            if (!MerkleHashes.leafHash(entry).equals(row.leaf().leafHash())) {
                throw new LogIntegrityViolation("the event at index " + index + " of " + tenant
                        + " does not hash to its leaf; run a verification");
            }
            entries.add(entry);
        }
        return entries;
    }
}
