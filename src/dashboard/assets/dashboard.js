// The dashboard's only script, served from the service's own origin (the CSP allows no inline
// script): every few seconds it fetches the page again and swaps its <main>, so the charts and
// figures stay current without a reload; while the tab is hidden it waits.
(function () {
  'use strict';
  var seconds = Number(document.body.getAttribute('data-refresh-seconds')) || 5;
  var state = document.getElementById('refresh-state');

  function say(text, stale) {
    if (!state) return;
    state.textContent = text;
    state.className = stale ? 'refresh stale' : 'refresh';
  }

  function schedule() {
    window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    if (document.hidden) return schedule();
    fetch(window.location.href, { headers: { Accept: 'text/html' }, cache: 'no-store' })
      .then(function (res) {
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.text();
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html').getElementById('content');
        var current = document.getElementById('content');
        if (next && current) current.replaceWith(document.importNode(next, true));
        say('updated ' + new Date().toLocaleTimeString(), false);
      })
      .catch(function (err) {
        say('cannot reach the service (' + err.message + '): showing its last answer', true);
      })
      .then(schedule);
  }

  say('refreshes every ' + seconds + ' s', false);
  schedule();
})();
