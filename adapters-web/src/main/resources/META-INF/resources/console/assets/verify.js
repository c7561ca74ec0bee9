// The event page's own check: fields read from the leaf bytes, the auditor's pinned key, the verify button and the
// evidence download. The verification itself is Tlog.verifyEvidence (tlog.js), shared with the standalone verifier.
(function () {
  'use strict';

  var PIN_PREFIX = 'stenographer.verifierKey.';

  function byId(id) { return document.getElementById(id); }

  // localStorage can be absent or refuse (private windows, storage disabled): pinning then says so.
  function readPin(tenant) {
    try { return window.localStorage.getItem(PIN_PREFIX + tenant); } catch (e) { return null; }
  }

  function writePin(tenant, key) {
    window.localStorage.setItem(PIN_PREFIX + tenant, key);
  }

  function setStatus(text, pinned) {
    var status = byId('pin-status');
    status.textContent = text;
    status.dataset.pinned = String(pinned);
  }

  function showPinState(evidence) {
    var pinned = readPin(evidence.tenant);
    var input = byId('verifier-key');
    if (!pinned) {
      input.value = evidence.verifierKey || '';
      setStatus('NOT pinned yet. The key above was sent by this server, so it proves nothing by itself: compare it '
        + 'with the verifier key you obtained out of band (from the log operator, in writing), then click "Pin this key". '
        + 'It is kept in this browser for tenant ' + evidence.tenant + '.', false);
      return;
    }
    input.value = pinned;
    if (evidence.verifierKey && evidence.verifierKey !== pinned) {
      setStatus('Pinned for tenant ' + evidence.tenant + ' in this browser. WARNING: the server now presents a different '
        + 'key (' + evidence.verifierKey + '). Checkpoints are checked against the pinned key; change the pin only if the '
        + 'operator told you, out of band, that the key was rotated.', true);
    } else {
      setStatus('Pinned for tenant ' + evidence.tenant + ' in this browser; the server presents the same key.', true);
    }
  }

  function setupPinning(evidence) {
    showPinState(evidence);
    byId('pin-key').addEventListener('click', function () {
      var key = byId('verifier-key').value.trim();
      Tlog.parseVerifierKey(key).then(function (parsed) {
        try {
          writePin(evidence.tenant, key);
        } catch (e) {
          setStatus('Could not pin: this browser does not let the page store data (' + e.message + ').', false);
          return;
        }
        showPinState(evidence);
        setStatus(byId('pin-status').textContent + ' Pinned key: ' + parsed.name + ' (key id ' + parsed.keyIdHex + ').', true);
      }, function (e) {
        setStatus('Not pinned: ' + e.message, readPin(evidence.tenant) != null);
      });
    });
    byId('verifier-key').addEventListener('input', function () {
      var pinned = readPin(evidence.tenant);
      if (byId('verifier-key').value.trim() !== (pinned || '')) {
        setStatus('Edited, not pinned: verification uses the pinned key' + (pinned ? '' : ' (none yet)')
          + ' until you click "Pin this key".', pinned != null);
      }
    });
  }

  function setupVerify(evidence) {
    var button = byId('verify');
    var result = byId('verify-result');
    button.addEventListener('click', function () {
      button.disabled = true;
      result.className = 'result';
      result.dataset.state = 'running';
      result.textContent = 'Checking…';
      var started = performance.now();
      Tlog.verifyEvidence(evidence, readPin(evidence.tenant)).then(function (report) {
        Tlog.showReport(byId('verify-steps'), result, report, performance.now() - started);
      }).finally(function () {
        button.disabled = evidence.leafIndex == null;
      });
    });
  }

  // The evidence file is the data block as the page got it, pretty-printed: the standalone verifier reads it.
  function setupDownload(evidence) {
    var link = byId('download-evidence');
    if (!link) { return; }
    var blob = new Blob([JSON.stringify(evidence, null, 2) + '\n'], { type: 'application/json' });
    link.href = URL.createObjectURL(blob);
    link.download = 'event-' + String(evidence.id).replace(/[^A-Za-z0-9-]/g, '_') + '.evidence.json';
    link.hidden = false;
  }

  function init() {
    var block = byId('event-data');
    if (!block) { return; }
    var evidence;
    try {
      evidence = JSON.parse(block.textContent);
    } catch (e) {
      Tlog.showError(byId('event-fields'), 'The page\'s data block is not JSON: ' + e.message);
      return;
    }
    try {
      Tlog.showFields(byId('event-fields'), Tlog.eventFields(Tlog.decodeEvent(evidence.leafInput).event));
    } catch (e) {
      Tlog.showError(byId('event-fields'), e.message);
    }
    setupPinning(evidence);
    setupVerify(evidence);
    setupDownload(evidence);
    document.body.dataset.verifyReady = 'true';
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
