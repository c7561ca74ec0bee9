// The checkpoints page's own check: the consistency proof between two signed checkpoints, verified in this browser
// with tlog.js (Tlog.verifyConsistency, Tlog.parseSignedNote, Tlog.verifyNote) against the verifier key the auditor
// pinned for the tenant on an event page (verify.js keeps it in localStorage). The server's word is not taken: the
// roots come from the signed note texts, not from separate fields.
(function () {
  'use strict';

  var PIN_PREFIX = 'stenographer.verifierKey.';

  function byId(id) { return document.getElementById(id); }

  function readPin(tenant) {
    try { return window.localStorage.getItem(PIN_PREFIX + tenant); } catch (e) { return null; }
  }

  /** Resolves to {verified, steps: [{step, title, ok, detail}], summary}; never rejects. Every step runs. */
  async function check(data, pinnedKey) {
    var steps = [];
    var parsed = {};

    async function run(step, title, body) {
      try {
        var r = await body();
        steps.push({ step: step, title: title, ok: r.ok, detail: r.detail });
      } catch (e) {
        steps.push({ step: step, title: title, ok: false, detail: e && e.message ? e.message : String(e) });
      }
    }

    function readCheckpoint(which, noteText, sizeText) {
      return async function () {
        var note;
        try {
          note = Tlog.parseSignedNote(noteText);
        } catch (e) {
          throw new Error('the ' + which + ' checkpoint is not a valid signed note: ' + e.message);
        }
        var cp = Tlog.parseCheckpoint(note.body);
        parsed[which] = { note: note, checkpoint: cp };
        var size = Tlog.parseSize(sizeText, which + ' size');
        if (cp.treeSize !== size) {
          return { ok: false, detail: 'the server sent a checkpoint for tree size ' + cp.treeSize + ' where ' + size
            + ' was asked for.' };
        }
        if (!cp.origin.endsWith('/' + data.tenant)) {
          return { ok: false, detail: 'the checkpoint is of log ' + cp.origin + ', not of tenant ' + data.tenant + '\'s log.' };
        }
        return { ok: true, detail: 'log ' + cp.origin + ', tree size ' + cp.treeSize + ', root '
          + Tlog.base64Encode(cp.rootHash) + '.' };
      };
    }

    data = data || {};
    await run('from-checkpoint', 'The earlier checkpoint reads as signed text', readCheckpoint('from', data.fromCheckpoint, data.fromSize));
    await run('to-checkpoint', 'The later checkpoint reads as signed text', readCheckpoint('to', data.toCheckpoint, data.toSize));

    var keyName = null;
    await run('signatures', 'Both are signed by your pinned key', async function () {
      if (!pinnedKey) {
        return { ok: false, detail: 'no verifier key is pinned for tenant ' + data.tenant + ' in this browser: open any '
          + 'event of this tenant, pin the key you obtained out of band, then check again. (The server presents '
          + data.verifierKey + ', which proves nothing by itself.)' };
      }
      var verifier;
      try {
        verifier = await Tlog.parseVerifierKey(pinnedKey);
      } catch (e) {
        throw new Error('the pinned key is not a valid verifier key: ' + e.message);
      }
      if (!parsed.from || !parsed.to) {
        return { ok: false, detail: 'not checked: a checkpoint could not be read.' };
      }
      var bad = [];
      for (var which of ['from', 'to']) {
        if (!(await Tlog.verifyNote(parsed[which].note, verifier))) {
          bad.push('the ' + (which === 'from' ? 'earlier' : 'later') + ' checkpoint (tree size '
            + parsed[which].checkpoint.treeSize + ')');
        }
      }
      if (bad.length > 0) {
        return { ok: false, detail: bad.join(' and ') + ' carr' + (bad.length === 1 ? 'ies' : 'y') + ' no valid signature by '
          + verifier.name + ' (key id ' + verifier.keyIdHex + '): altered, forged, or signed by another key.' };
      }
      keyName = verifier.name;
      return { ok: true, detail: 'Ed25519 signatures by ' + verifier.name + ' (key id ' + verifier.keyIdHex
        + ') verify on both.' };
    });

    await run('consistency', 'The later tree contains the earlier one unchanged', async function () {
      if (!parsed.from || !parsed.to) {
        return { ok: false, detail: 'not checked: a checkpoint could not be read.' };
      }
      var proof = (data.proof || []).map(function (h, k) {
        var bytes = Tlog.base64Decode(h);
        if (bytes.length !== 32) { throw new Error('proof hash ' + (k + 1) + ' is not 32 bytes'); }
        return bytes;
      });
      var from = parsed.from.checkpoint, to = parsed.to.checkpoint;
      if (from.treeSize > to.treeSize) {
        return { ok: false, detail: 'the earlier size ' + from.treeSize + ' exceeds the later ' + to.treeSize + '.' };
      }
      var ok = await Tlog.verifyConsistency(from.treeSize, to.treeSize, from.rootHash, to.rootHash, proof);
      if (!ok) {
        return { ok: false, detail: 'the ' + proof.length + ' proof hashes do not lead from root '
          + Tlog.base64Encode(from.rootHash) + ' (size ' + from.treeSize + ') to root ' + Tlog.base64Encode(to.rootHash)
          + ' (size ' + to.treeSize + '): the log was rewritten between them, or the proof is wrong.' };
      }
      if (from.treeSize === to.treeSize) {
        return { ok: true, detail: 'both checkpoints are of the same tree size and carry the same root: the same tree.' };
      }
      return { ok: true, detail: 'the ' + proof.length + ' proof hashes rebuild both roots (RFC 9162, 2.1.4.2): the first '
        + from.treeSize + ' entries of the tree of size ' + to.treeSize + ' are exactly the tree of size ' + from.treeSize + '.' };
    });

    var failed = steps.filter(function (s) { return !s.ok; });
    var summary;
    if (failed.length === 0) {
      summary = parsed.to.checkpoint.treeSize === parsed.from.checkpoint.treeSize
        ? 'Consistent: both checkpoints state the same tree of size ' + parsed.to.checkpoint.treeSize + ', signed by '
          + keyName + '.'
        : 'Consistent: the log at tree size ' + parsed.to.checkpoint.treeSize + ' only added entries to the log at '
        + 'tree size ' + parsed.from.checkpoint.treeSize + '; nothing before was changed or removed. Both checkpoints are '
        + 'signed by ' + keyName + '.';
    } else {
      var first = failed[0];
      summary = 'NOT verified: step ' + (steps.indexOf(first) + 1) + ' (' + first.title + ') failed: ' + first.detail;
    }
    return { verified: failed.length === 0, steps: steps, summary: summary };
  }

  function init() {
    var block = byId('consistency-data');
    if (!block) { return; }
    var result = byId('consistency-result');
    var steps = byId('consistency-steps');
    var button = byId('consistency-verify');
    var data;
    try {
      data = JSON.parse(block.textContent);
    } catch (e) {
      result.className = 'result fail';
      result.textContent = 'NOT verified: the page\'s data block is not JSON: ' + e.message;
      return;
    }
    if (typeof window.Tlog === 'undefined') {
      result.className = 'result fail';
      result.textContent = 'NOT verified: the verification script (tlog.js) did not load.';
      return;
    }
    function verify() {
      button.disabled = true;
      result.className = 'result';
      result.dataset.state = 'running';
      result.textContent = 'Checking…';
      var started = performance.now();
      check(data, readPin(data.tenant)).then(function (report) {
        Tlog.showReport(steps, result, report, performance.now() - started);
      }).finally(function () {
        button.disabled = false;
      });
    }
    button.addEventListener('click', verify);
    verify();
    document.body.dataset.consistencyReady = 'true';
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
