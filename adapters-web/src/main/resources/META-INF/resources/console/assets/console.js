// Every <time datetime="..."> shows UTC as served, and the same instant in the browser's own zone below it.
(function () {
  'use strict';
  function showLocalTimes() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll('time[datetime]').forEach(function (el) {
      if (el.dataset.localShown) { return; }
      var at = new Date(el.getAttribute('datetime'));
      if (isNaN(at.getTime())) { return; }
      var local = document.createElement('span');
      local.className = 'local-time';
      local.textContent = at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) + ' (' + zone + ')';
      el.insertAdjacentElement('afterend', local);
      el.dataset.localShown = 'true';
    });
  }
  document.addEventListener('DOMContentLoaded', showLocalTimes);
})();
