// Tlog: checks a Stenographer event in the browser with WebCrypto only (docs/FORMATS.md). It follows the domain's
// Java code (merkle.InclusionFold, merkle.ConsistencyProof, checkpoint.SignedNote, Checkpoint, NoteVerifier) rule
// for rule, so the browser accepts exactly what the server's own verifier accepts.
// This file is the only copy of the verification code: the console's event page loads it, and the build inlines it
// into the standalone verifier.html (adapters-web/src/main/verifier, see the pom).
(function (global) {
  'use strict';

  var HASH_LENGTH = 32;
  var ED25519_TYPE = 0x01;
  var ED25519_SIGNATURE_LENGTH = 64;
  var MAX_SIGNATURES = 100;
  var LONG_MAX = 9223372036854775807n;
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  var B64_INDEX = {};
  for (var b = 0; b < B64.length; b++) { B64_INDEX[B64.charAt(b)] = b; }

  // ---- bytes -------------------------------------------------------------------------------------------------

  /** Standard base64; padding optional as in Java's decoder. Use base64DecodeCanonical where Java demands it. */
  function base64Decode(text) {
    if (typeof text !== 'string') { throw new Error('base64: expected text'); }
    var m = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(text);
    if (!m) { throw new Error('not valid base64 (unexpected character)'); }
    var body = m[1];
    if (body.length % 4 === 1 || (m[2].length > 0 && (body.length + m[2].length) % 4 !== 0)) {
      throw new Error('not valid base64 (wrong length or padding)');
    }
    var out = new Uint8Array(Math.floor(body.length * 3 / 4));
    var acc = 0, bits = 0, j = 0;
    for (var i = 0; i < body.length; i++) {
      acc = ((acc << 6) | B64_INDEX[body.charAt(i)]) & 0xffffff;
      bits += 6;
      if (bits >= 8) { bits -= 8; out[j++] = (acc >> bits) & 0xff; }
    }
    return out;
  }

  function base64Encode(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((i + 1 < bytes.length ? bytes[i + 1] : 0) << 8) | (i + 2 < bytes.length ? bytes[i + 2] : 0);
      out += B64.charAt((n >> 18) & 63) + B64.charAt((n >> 12) & 63)
        + (i + 1 < bytes.length ? B64.charAt((n >> 6) & 63) : '=') + (i + 2 < bytes.length ? B64.charAt(n & 63) : '=');
    }
    return out;
  }

  /** Only the one padded spelling of the bytes, as Java's Hash.fromBase64 and SignedNote require. */
  function base64DecodeCanonical(text) {
    var bytes = base64Decode(text);
    if (base64Encode(bytes) !== text) { throw new Error('base64 is not in canonical padded form'); }
    return bytes;
  }

  function hexEncode(bytes) {
    var out = '';
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); }
    return out;
  }

  function hexDecode(text) {
    if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
      throw new Error('not hexadecimal');
    }
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(text.substr(2 * i, 2), 16); }
    return out;
  }

  function concat(parts) {
    var length = 0, i;
    for (i = 0; i < parts.length; i++) { length += parts[i].length; }
    var out = new Uint8Array(length), at = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
    return out;
  }

  function bytesEqual(a, b) {
    if (!a || !b || a.length !== b.length) { return false; }
    var diff = 0;
    for (var i = 0; i < a.length; i++) { diff |= a[i] ^ b[i]; }
    return diff === 0;
  }

  function utf8(text) { return new TextEncoder().encode(text); }

  function subtle() {
    var c = global.crypto;
    if (!c || !c.subtle) {
      throw new Error('WebCrypto is not available here: open the page over https or from a file on your disk');
    }
    return c.subtle;
  }

  // ---- hashes (RFC 9162 2.1.1) ---------------------------------------------------------------------------------

  function sha256(bytes) {
    return subtle().digest('SHA-256', bytes).then(function (d) { return new Uint8Array(d); });
  }

  /** SHA-256(0x00 || leaf input). */
  function leafHash(bytes) { return sha256(concat([Uint8Array.of(0x00), bytes])); }

  /** SHA-256(0x01 || left || right). */
  function nodeHash(left, right) { return sha256(concat([Uint8Array.of(0x01), left, right])); }

  function emptyRoot() { return sha256(new Uint8Array(0)); }

  // ---- sizes and indices -----------------------------------------------------------------------------------------

  /** A tree size or index as a BigInt, from canonical decimal text (no sign, no leading zero) or a safe integer. */
  function parseSize(value, what) {
    what = what || 'size';
    if (typeof value === 'bigint') { return value; }
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) { return BigInt(value); }
    if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value)) {
      throw new Error(what + ' must be decimal digits without leading zeros, was \'' + value + '\'');
    }
    var n = BigInt(value);
    if (n > LONG_MAX) { throw new Error(what + ' is too large: ' + value); }
    return n;
  }

  function requireHash(h, what) {
    if (!(h instanceof Uint8Array) || h.length !== HASH_LENGTH) {
      throw new Error(what + ' must be ' + HASH_LENGTH + ' bytes');
    }
    return h;
  }

  // ---- inclusion (RFC 9162 2.1.3.2, as domain merkle.InclusionFold) --------------------------------------------

  /** The root the proof (leaf to root) leads to from the leaf hash; throws if the path does not fit index and size. */
  async function rootFromInclusionProof(index, size, leaf, proof) {
    var i = parseSize(index, 'leaf index'), n = parseSize(size, 'tree size');
    if (i >= n) { throw new Error('leaf index ' + i + ' is not below tree size ' + n); }
    var fn = i, sn = n - 1n, r = requireHash(leaf, 'leaf hash');
    for (var k = 0; k < proof.length; k++) {
      var p = requireHash(proof[k], 'proof hash ' + (k + 1));
      if (sn === 0n) {
        throw new Error('inclusion proof path is too long for leaf index ' + i + ' in a tree of size ' + n);
      }
      if ((fn & 1n) === 1n || fn === sn) {
        r = await nodeHash(p, r);
        // Skip the levels where this node has no right sibling (right edge of the tree).
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) {
      throw new Error('inclusion proof path is too short for leaf index ' + i + ' in a tree of size ' + n);
    }
    return r;
  }

  async function verifyInclusion(index, size, leaf, proof, root) {
    try {
      return bytesEqual(await rootFromInclusionProof(index, size, leaf, proof), root);
    } catch (malformed) {
      return false;
    }
  }

  // ---- consistency (RFC 9162 2.1.4.2, as domain merkle.ConsistencyProof.verify) ---------------------------------

  async function verifyConsistency(size1, size2, root1, root2, proof) {
    var m, n;
    try {
      m = parseSize(size1, 'old size');
      n = parseSize(size2, 'new size');
      requireHash(root1, 'old root');
      requireHash(root2, 'new root');
      proof.forEach(function (h, k) { requireHash(h, 'proof hash ' + (k + 1)); });
    } catch (malformed) {
      return false;
    }
    if (n < m) { return false; }
    if (m === n) { return proof.length === 0 && bytesEqual(root1, root2); }
    if (m === 0n) { return proof.length === 0 && bytesEqual(root1, await emptyRoot()); }
    if (proof.length === 0) { return false; }
    var path = proof;
    if ((m & (m - 1n)) === 0n) {
      // The old root is itself a node of the new tree and is left out of the path.
      path = [root1].concat(proof);
    }
    var fn = m - 1n, sn = n - 1n;
    while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
    var fr = path[0], sr = path[0];
    for (var k = 1; k < path.length; k++) {
      var c = path[k];
      if (sn === 0n) { return false; }
      if ((fn & 1n) === 1n || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    return sn === 0n && bytesEqual(fr, root1) && bytesEqual(sr, root2);
  }

  // ---- note text (as domain checkpoint.NoteText) ---------------------------------------------------------------

  function requireValidText(text, field, allowNewline) {
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 0x20 && !(allowNewline && c === 0x0a)) {
        throw new Error(field + ' must not contain control character U+' + ('000' + c.toString(16).toUpperCase()).slice(-4)
          + ' (at ' + i + ')');
      }
      var high = c >= 0xd800 && c <= 0xdbff;
      var next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (high && next >= 0xdc00 && next <= 0xdfff) {
        i++;
      } else if (c >= 0xd800 && c <= 0xdfff) {
        throw new Error(field + ' must be valid Unicode, found a lone surrogate at ' + i);
      }
    }
  }

  // Java's Character.isWhitespace or isSpaceChar (controls are refused before this is asked).
  var KEY_NAME_FORBIDDEN = /[+\p{Zs}\p{Zl}\p{Zp}]/u;

  function requireValidKeyName(name, field) {
    if (typeof name !== 'string' || name.length === 0) { throw new Error(field + ' must not be empty'); }
    requireValidText(name, field, false);
    if (KEY_NAME_FORBIDDEN.test(name)) { throw new Error(field + ' must not contain spaces or \'+\': "' + name + '"'); }
  }

  // ---- signed notes (as domain checkpoint.SignedNote.parse) ------------------------------------------------------

  var SIGNATURE_PREFIX = '\u2014 ';

  /** {body, signatures: [{keyName, keyId, keyIdHex, signature}]}; body is the signed text, final newline included. */
  function parseSignedNote(note) {
    if (typeof note !== 'string') { throw new Error('note must be text'); }
    requireValidText(note, 'note', true);
    if (note.length === 0 || note.charAt(note.length - 1) !== '\n') { throw new Error('note must end with a newline'); }
    var split = note.lastIndexOf('\n\n');
    if (split < 0) { throw new Error('note has no blank line separating text from signatures'); }
    var body = note.substring(0, split + 1);
    var block = note.substring(split + 2);
    if (block.length === 0) { throw new Error('note has no signature lines'); }
    var signatures = [];
    var lineStart = 0;
    while (lineStart < block.length) {
      var lineEnd = block.indexOf('\n', lineStart);
      if (signatures.length === MAX_SIGNATURES) { throw new Error('note has more than ' + MAX_SIGNATURES + ' signatures'); }
      signatures.push(parseSignatureLine(block.substring(lineStart, lineEnd), signatures.length + 1));
      lineStart = lineEnd + 1;
    }
    if (body.length === 0) { throw new Error('body must be non-empty and end with a newline'); }
    return { body: body, signatures: signatures };
  }

  function parseSignatureLine(line, number) {
    var where = 'signature line ' + number;
    if (line.indexOf(SIGNATURE_PREFIX) !== 0) {
      throw new Error(where + ' must start with an em dash (U+2014) and a space');
    }
    var rest = line.substring(SIGNATURE_PREFIX.length);
    var space = rest.indexOf(' ');
    if (space <= 0 || rest.indexOf(' ', space + 1) >= 0) {
      throw new Error(where + ' must be \'\u2014 <key name> <base64 signature>\'');
    }
    var name = rest.substring(0, space);
    var payload;
    try {
      payload = base64DecodeCanonical(rest.substring(space + 1));
    } catch (e) {
      throw new Error(where + ' has invalid base64: ' + e.message);
    }
    if (payload.length < 5) {
      throw new Error(where + ' is too short: a 4-byte key id and a signature are required');
    }
    try {
      requireValidKeyName(name, 'keyName');
    } catch (e) {
      throw new Error(where + ': ' + e.message);
    }
    var keyId = ((payload[0] << 24) | (payload[1] << 16) | (payload[2] << 8) | payload[3]) >>> 0;
    return { keyName: name, keyId: keyId, keyIdHex: keyIdHex(keyId), signature: payload.slice(4) };
  }

  function keyIdHex(id) { return ('0000000' + id.toString(16)).slice(-8); }

  // ---- checkpoints (as domain checkpoint.Checkpoint.parseBody) ---------------------------------------------------

  /** {origin, treeSize (BigInt), rootHash (32 bytes), extensionLines}. */
  function parseCheckpoint(body) {
    if (typeof body !== 'string' || body.charAt(body.length - 1) !== '\n') {
      throw new Error('checkpoint body must end with a newline');
    }
    var lines = body.substring(0, body.length - 1).split('\n');
    if (lines.length < 3) {
      throw new Error('checkpoint body needs origin, tree size and root hash lines, found ' + lines.length + ' line(s)');
    }
    var size;
    try {
      size = parseSize(lines[1], 'checkpoint tree size');
    } catch (e) {
      throw new Error(e.message);
    }
    var root;
    try {
      root = base64DecodeCanonical(lines[2]);
      if (root.length !== HASH_LENGTH) { throw new Error('hash base64 must decode to 32 bytes, got ' + root.length); }
    } catch (e) {
      throw new Error('checkpoint root hash line is invalid: ' + e.message);
    }
    if (lines[0].length === 0) { throw new Error('origin must not be empty'); }
    requireValidText(lines[0], 'origin', false);
    var extensions = lines.slice(3);
    extensions.forEach(function (line) {
      if (line.length === 0) { throw new Error('extensionLines must not contain empty lines'); }
      requireValidText(line, 'extensionLines', false);
    });
    return { origin: lines[0], treeSize: size, rootHash: root, extensionLines: extensions };
  }

  // ---- verifier keys and signatures (as domain checkpoint.NoteVerifier) ------------------------------------------

  /** key id = first 4 bytes, big-endian, of SHA-256(name || 0x0A || 0x01 || raw public key). */
  async function computeKeyId(name, rawPublicKey) {
    var h = await sha256(concat([utf8(name), Uint8Array.of(0x0a, ED25519_TYPE), rawPublicKey]));
    return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
  }

  /**
   * Parses '<name>+<hex key id>+<base64(0x01 || key)>' and checks the key id against name and key, so a typo shows
   * here rather than as a failed signature. Resolves to {name, keyId, keyIdHex, publicKey, cryptoKey, text}.
   */
  async function parseVerifierKey(text) {
    if (typeof text !== 'string') { throw new Error('verifier key must be text'); }
    // The name has no '+' but the base64 key may, so split only twice.
    var first = text.indexOf('+'), second = first < 0 ? -1 : text.indexOf('+', first + 1);
    if (second < 0) { throw new Error('verifier key must be \'<name>+<hex key id>+<base64 key>\''); }
    var name = text.substring(0, first), idHex = text.substring(first + 1, second), data = text.substring(second + 1);
    requireValidKeyName(name, 'name');
    if (!/^[0-9a-fA-F]{8}$/.test(idHex)) {
      throw new Error('verifier key id must be 8 hex digits, was \'' + idHex + '\'');
    }
    var keyData;
    try {
      keyData = base64Decode(data);
    } catch (e) {
      throw new Error('verifier key data is not valid base64: ' + e.message);
    }
    if (keyData.length !== 1 + 32 || keyData[0] !== ED25519_TYPE) {
      throw new Error('verifier key data must be 0x01 followed by a 32-byte Ed25519 key');
    }
    var raw = keyData.slice(1);
    var id = await computeKeyId(name, raw);
    if (id !== parseInt(idHex, 16)) {
      throw new Error('verifier key id ' + idHex + ' does not match the key id ' + keyIdHex(id)
        + ' computed from its name and public key');
    }
    var cryptoKey;
    try {
      cryptoKey = await subtle().importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      if (e && e.name === 'NotSupportedError') {
        throw new Error('this browser cannot check Ed25519 signatures (WebCrypto Ed25519 needs Chromium 137+, '
          + 'Firefox 129+ or Safari 17+)');
      }
      throw new Error('not a valid Ed25519 public key: ' + (e && e.message ? e.message : e));
    }
    return { name: name, keyId: id, keyIdHex: keyIdHex(id), publicKey: raw, cryptoKey: cryptoKey, text: text };
  }

  /**
   * Whether the note carries a valid signature by this key. Signatures by other keys are ignored; a signature that
   * claims to be ours (same name and key id) but does not verify fails the whole note.
   */
  async function verifyNote(note, verifier) {
    var message = utf8(note.body);
    var verified = false;
    for (var i = 0; i < note.signatures.length; i++) {
      var s = note.signatures[i];
      if (s.keyName !== verifier.name || s.keyId !== verifier.keyId) { continue; }
      if (s.signature.length !== ED25519_SIGNATURE_LENGTH) { return false; }
      var ok;
      try {
        ok = await subtle().verify('Ed25519', verifier.cryptoKey, s.signature, message);
      } catch (e) {
        ok = false;
      }
      if (!ok) { return false; }
      verified = true;
    }
    return verified;
  }

  // ---- the event ---------------------------------------------------------------------------------------------------

  /** The sealed event the leaf bytes hold: {bytes, event}; throws unless they are UTF-8 JSON of an object. */
  function decodeEvent(leafInputBase64) {
    var bytes = base64Decode(leafInputBase64);
    var text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      throw new Error('the leaf bytes are not valid UTF-8');
    }
    var event;
    try {
      event = JSON.parse(text);
    } catch (e) {
      throw new Error('the leaf bytes are not JSON: ' + e.message);
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new Error('the leaf bytes are not a JSON object');
    }
    return { bytes: bytes, event: event };
  }

  /**
   * Every field of the event, nested objects as dotted paths, in the order of the bytes. A v2 event's 'personal'
   * member maps field paths to commitments: each is listed under its own path with kind 'commitment'.
   */
  function eventFields(event) {
    var out = [];
    function walk(prefix, value) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        var keys = Object.keys(value);
        if (keys.length === 0) { out.push({ path: prefix, value: '{}', kind: 'value' }); }
        keys.forEach(function (k) { walk(prefix ? prefix + '.' + k : k, value[k]); });
      } else {
        out.push({ path: prefix, value: typeof value === 'string' ? value : JSON.stringify(value), kind: 'value' });
      }
    }
    Object.keys(event).forEach(function (k) {
      var v = event[k];
      if (k === 'personal' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
        Object.keys(v).forEach(function (path) {
          out.push({ path: path, value: typeof v[path] === 'string' ? v[path] : JSON.stringify(v[path]), kind: 'commitment' });
        });
      } else {
        walk(k, v);
      }
    });
    return out;
  }

  // ---- the whole check -------------------------------------------------------------------------------------------

  var STEP_TITLES = {
    'leaf-hash': 'Leaf hash recomputed from the event\'s bytes',
    'inclusion': 'Inclusion proof from the leaf to the root',
    'checkpoint': 'Checkpoint names the tree size and root the proof used',
    'signature': 'Checkpoint signature under the pinned key'
  };

  function short(bytes) { return base64Encode(bytes); }

  /**
   * Checks evidence (the event page's data block: id, tenant, leafInput, leafHash, leafIndex, treeSize, rootHash,
   * inclusionProof, checkpoint) against a pinned verifier key text (null or '' when none is pinned). Never throws:
   * resolves to {verified, steps: [{step, title, ok, detail}], summary, failedStep, event, keyName}.
   * Every step runs, so one failure does not hide whether the others hold.
   */
  async function verifyEvidence(evidence, pinnedKey) {
    var steps = [];
    var st = { event: null, leaf: null, index: null, size: null, proofRoot: null, note: null };

    function add(step, ok, detail, title) {
      steps.push({ step: step, title: title || STEP_TITLES[step], ok: ok, detail: detail });
    }
    async function run(step, body) {
      try {
        var r = await body();
        add(step, r.ok, r.detail, r.title);
      } catch (e) {
        add(step, false, e && e.message ? e.message : String(e));
      }
    }
    evidence = evidence || {};

    // 1. The bytes hash to the leaf hash shown, and are the event the page is about.
    await run('leaf-hash', async function () {
      var decoded = decodeEvent(evidence.leafInput);
      st.event = decoded.event;
      st.leaf = await leafHash(decoded.bytes);
      var shown = String(evidence.leafHash || '').toLowerCase();
      var computed = hexEncode(st.leaf);
      if (computed !== shown) {
        return { ok: false, detail: 'SHA-256(0x00 || the ' + decoded.bytes.length + ' bytes) is ' + computed
          + ', but the leaf hash shown is ' + (shown || '(none)') + ': these bytes are not the ones logged.' };
      }
      if (evidence.id != null && st.event.id !== evidence.id) {
        return { ok: false, detail: 'the bytes are event ' + st.event.id + ', not event ' + evidence.id + '.' };
      }
      if (evidence.tenant != null && st.event.tenant !== evidence.tenant) {
        return { ok: false, detail: 'the bytes belong to tenant ' + st.event.tenant + ', not ' + evidence.tenant + '.' };
      }
      return { ok: true, detail: 'SHA-256(0x00 || the ' + decoded.bytes.length + ' bytes of event ' + st.event.id
        + ') = ' + computed + ', the leaf hash shown.' };
    });

    // 2. The proof leads from that leaf, at index i, to the root of tree size n.
    await run('inclusion', async function () {
      if (evidence.leafIndex == null || evidence.treeSize == null) {
        return { ok: false, detail: 'the event is not in a signed checkpoint yet (pending); try again in a few seconds.' };
      }
      st.index = parseSize(evidence.leafIndex, 'leaf index');
      st.size = parseSize(evidence.treeSize, 'tree size');
      var title = 'Inclusion proof from leaf ' + st.index + ' to the root of tree size ' + st.size;
      if (!st.leaf) { return { ok: false, title: title, detail: 'not checked: there is no leaf hash from the bytes.' }; }
      var proof = (evidence.inclusionProof || []).map(function (h, k) {
        try {
          var bytes = base64DecodeCanonical(h);
          return requireHash(bytes, 'hash');
        } catch (e) {
          throw new Error('proof hash ' + (k + 1) + ' is not a base64 SHA-256 hash: ' + e.message);
        }
      });
      st.proofRoot = await rootFromInclusionProof(st.index, st.size, st.leaf, proof);
      var shownRoot = String(evidence.rootHash || '');
      if (short(st.proofRoot) !== shownRoot) {
        return { ok: false, title: title, detail: 'the ' + proof.length + ' proof hashes lead to root '
          + short(st.proofRoot) + ', but the root shown is ' + (shownRoot || '(none)') + '.' };
      }
      return { ok: true, title: title, detail: 'the ' + proof.length + ' proof hashes lead from the leaf to root '
        + shownRoot + '.' };
    });

    // 3. The checkpoint is of that log, that size and that root.
    await run('checkpoint', async function () {
      if (evidence.checkpoint == null) { return { ok: false, detail: 'there is no checkpoint (the event is pending).' }; }
      try {
        st.note = parseSignedNote(evidence.checkpoint);
      } catch (e) {
        throw new Error('the checkpoint is not a valid signed note: ' + e.message);
      }
      var cp = parseCheckpoint(st.note.body);
      st.checkpoint = cp;
      if (st.size == null || !st.proofRoot) {
        return { ok: false, detail: 'not checked: the inclusion proof gave no root to compare with (checkpoint: tree size '
          + cp.treeSize + ', root ' + short(cp.rootHash) + ').' };
      }
      if (cp.treeSize !== st.size) {
        return { ok: false, detail: 'the checkpoint is for tree size ' + cp.treeSize + ', the proof for ' + st.size + '.' };
      }
      if (!bytesEqual(cp.rootHash, st.proofRoot)) {
        return { ok: false, detail: 'the checkpoint\'s root is ' + short(cp.rootHash) + ', the proof led to '
          + short(st.proofRoot) + '.' };
      }
      var tenant = st.event && typeof st.event.tenant === 'string' ? st.event.tenant : evidence.tenant;
      if (tenant != null && !cp.origin.endsWith('/' + tenant)) {
        return { ok: false, detail: 'the checkpoint is of log ' + cp.origin + ', not of tenant ' + tenant + '\'s log.' };
      }
      return { ok: true, detail: 'checkpoint of log ' + cp.origin + ': tree size ' + cp.treeSize + ', root '
        + short(cp.rootHash) + '.' };
    });

    // 4. The checkpoint is signed by the key the auditor pinned, not merely by the key the server sent.
    var keyName = null;
    await run('signature', async function () {
      if (!pinnedKey) {
        return { ok: false, detail: 'no verifier key is pinned: pin the key you obtained out of band, then verify again.' };
      }
      var verifier;
      try {
        verifier = await parseVerifierKey(pinnedKey);
      } catch (e) {
        throw new Error('the pinned key is not a valid verifier key: ' + e.message);
      }
      if (!st.note) {
        return { ok: false, detail: evidence.checkpoint == null ? 'not checked: there is no checkpoint yet.'
          : 'not checked: the checkpoint could not be read.' };
      }
      var ours = st.note.signatures.filter(function (s) { return s.keyName === verifier.name && s.keyId === verifier.keyId; });
      if (ours.length === 0) {
        return { ok: false, detail: 'the checkpoint carries no signature by the pinned key ' + verifier.name + ' (key id '
          + verifier.keyIdHex + '); it is signed by ' + st.note.signatures.map(function (s) {
            return s.keyName + ' (key id ' + s.keyIdHex + ')';
          }).join(', ') + '.' };
      }
      if (!(await verifyNote(st.note, verifier))) {
        return { ok: false, detail: 'the signature by ' + verifier.name + ' (key id ' + verifier.keyIdHex
          + ') does not verify: the checkpoint was altered or forged.' };
      }
      keyName = verifier.name;
      return { ok: true, detail: 'Ed25519 signature by ' + verifier.name + ' (key id ' + verifier.keyIdHex + ') verifies.' };
    });

    var failed = steps.filter(function (s) { return !s.ok; });
    var summary;
    if (failed.length === 0) {
      summary = 'Verified: this event is in the log at index ' + st.index + ', under a checkpoint signed by ' + keyName + '.';
    } else {
      var first = failed[0], number = steps.indexOf(first) + 1;
      summary = 'NOT verified: step ' + number + ' (' + first.title + ') failed: ' + first.detail;
      if (failed.length > 1) {
        summary += ' Also failed: step' + (failed.length > 2 ? 's ' : ' ') + failed.slice(1).map(function (s) {
          return steps.indexOf(s) + 1;
        }).join(', ') + '.';
      }
    }
    return {
      verified: failed.length === 0,
      steps: steps,
      summary: summary,
      failedStep: failed.length ? failed[0].step : null,
      event: st.event,
      keyName: keyName,
      leafIndex: st.index == null ? null : String(st.index)
    };
  }

  // ---- showing results (shared by the console page and the standalone verifier; text only, never HTML) ------------

  function showFields(dl, fields) {
    dl.textContent = '';
    fields.forEach(function (f) {
      var dt = document.createElement('dt');
      dt.textContent = f.path;
      var dd = document.createElement('dd');
      if (f.kind === 'commitment') {
        dt.className = 'commitment';
        dd.className = 'commitment';
        var label = document.createElement('span');
        label.textContent = 'commitment (value kept out of the leaf): ';
        var code = document.createElement('code');
        code.textContent = f.value;
        dd.appendChild(label);
        dd.appendChild(code);
      } else {
        dd.textContent = f.value;
      }
      dd.dataset.path = f.path;
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
  }

  function showError(dl, message) {
    dl.textContent = '';
    var dt = document.createElement('dt');
    dt.textContent = 'Unreadable';
    var dd = document.createElement('dd');
    dd.textContent = message;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  /** Fills the step list and the result; ms is the time the check took. */
  function showReport(ol, result, report, ms) {
    ol.textContent = '';
    report.steps.forEach(function (s) {
      var li = document.createElement('li');
      li.className = s.ok ? 'ok' : 'fail';
      li.dataset.step = s.step;
      var title = document.createElement('strong');
      title.textContent = s.title + (s.ok ? ': yes. ' : ': NO. ');
      li.appendChild(title);
      li.appendChild(document.createTextNode(s.detail));
      ol.appendChild(li);
    });
    result.className = 'result ' + (report.verified ? 'ok' : 'fail');
    result.dataset.verified = String(report.verified);
    result.dataset.ms = ms.toFixed(1);
    result.dataset.state = 'done';
    result.textContent = report.summary + ' (' + Math.round(ms) + ' ms)';
  }

  global.Tlog = Object.freeze({
    base64Decode: base64Decode,
    base64DecodeCanonical: base64DecodeCanonical,
    base64Encode: base64Encode,
    hexEncode: hexEncode,
    hexDecode: hexDecode,
    bytesEqual: bytesEqual,
    sha256: sha256,
    leafHash: leafHash,
    nodeHash: nodeHash,
    emptyRoot: emptyRoot,
    parseSize: parseSize,
    rootFromInclusionProof: rootFromInclusionProof,
    verifyInclusion: verifyInclusion,
    verifyConsistency: verifyConsistency,
    computeKeyId: computeKeyId,
    parseVerifierKey: parseVerifierKey,
    parseSignedNote: parseSignedNote,
    parseCheckpoint: parseCheckpoint,
    verifyNote: verifyNote,
    decodeEvent: decodeEvent,
    eventFields: eventFields,
    verifyEvidence: verifyEvidence,
    showFields: showFields,
    showError: showError,
    showReport: showReport
  });
})(typeof window !== 'undefined' ? window : globalThis);
