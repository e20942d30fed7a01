// The page's only script, inline and allowed by its hash in the CSP. It reads nothing but the DOM
// and the URL's #fragment (no data blobs to parse: tenant strings only ever live in escaped markup;
// values from the fragment are only ever set as form values and compared) and makes no request.
// Without it the page is complete; with it, findings can be filtered and searched, and the filter
// is kept in the fragment (#severity=high&rule=standing-access-prod&q=alice) so a view can be shared.
export const SCRIPT = String.raw`(function () {
  'use strict';
  var form = document.getElementById('filters');
  var list = document.getElementById('finding-list');
  if (!form || !list) return;
  form.hidden = false;
  var items = Array.prototype.slice.call(list.querySelectorAll('li.finding'));
  var groups = Array.prototype.slice.call(list.querySelectorAll('article.rule-group')).map(function (g) {
    return { el: g, items: Array.prototype.slice.call(g.querySelectorAll('li.finding')) };
  });
  var fields = ['severity', 'rule', 'account', 'status'];
  var keys = fields.concat(['q']);
  var count = document.getElementById('flt-count');
  var empty = document.getElementById('flt-empty');
  var text = items.map(function (li) { return li.textContent.toLowerCase(); });
  function control(name) { return document.getElementById('flt-' + name); }
  function value(name) { var el = control(name); return el ? el.value : ''; }
  function apply() {
    var want = {};
    fields.forEach(function (f) { want[f] = value(f); });
    var q = value('q').trim().toLowerCase();
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = fields.every(function (f) {
        if (!want[f]) return true;
        var have = li.getAttribute('data-' + f) || '';
        // A finding's accounts: its own and those of the paths it affects, separated by spaces.
        if (f === 'account') return want[f] === '-' ? have === '' : (' ' + have + ' ').indexOf(' ' + want[f] + ' ') !== -1;
        return have === want[f];
      }) && (!q || text[i].indexOf(q) !== -1);
      li.hidden = !ok;
      if (ok) shown++;
    });
    groups.forEach(function (g) {
      if (g.items.length) {
        g.el.hidden = !g.items.some(function (li) { return !li.hidden; });
        return;
      }
      // A rule whose findings are all past the page's limit: shown while nothing it lacks is asked for.
      var rule = g.el.getAttribute('data-rule');
      var severity = g.el.getAttribute('data-severity');
      g.el.hidden = !!(q || want.account || want.status || (want.rule && want.rule !== rule) || (want.severity && want.severity !== severity));
    });
    count.textContent = 'Showing ' + shown + ' of ' + items.length + ' findings';
    empty.hidden = shown !== 0;
  }
  function readHash() {
    var h = location.hash.replace(/^#/, '');
    if (h.indexOf('=') === -1) return null; // a section's anchor, not a filter
    var params = new URLSearchParams(h);
    var state = {};
    keys.forEach(function (k) { state[k] = params.get(k) || ''; });
    return state;
  }
  function setControls(state) {
    keys.forEach(function (k) {
      var el = control(k);
      if (!el) return;
      el.value = state[k];
      // A value the page does not offer (another report's rule or account) selects nothing: "all".
      if (el.value !== state[k]) el.value = '';
    });
  }
  function writeHash() {
    var params = new URLSearchParams();
    keys.forEach(function (k) {
      var v = k === 'q' ? value(k).trim() : value(k);
      if (v) params.set(k, v);
    });
    var h = params.toString();
    var current = location.hash.replace(/^#/, '');
    if (h === current || (!h && current.indexOf('=') === -1)) return;
    var url = location.href.split('#')[0] + (h ? '#' + h : '');
    // Replaced, not pushed: typing a search adds no history entries, and nothing scrolls.
    try { history.replaceState(null, '', url); } catch (e) { location.hash = h; }
  }
  function changed() { apply(); writeHash(); }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(changed, 0); });
  var section = document.getElementById('findings');
  Array.prototype.forEach.call(document.querySelectorAll('[data-filter-severity]'), function (a) {
    a.addEventListener('click', function (e) {
      e.preventDefault();
      form.reset();
      control('severity').value = a.getAttribute('data-filter-severity');
      control('status').value = 'open';
      changed();
      if (section) section.scrollIntoView();
    });
  });
  window.addEventListener('hashchange', function () {
    var state = readHash();
    if (state) {
      setControls(state);
      apply();
      return;
    }
    // A link to a rule or finding the filter hides: clear the filter so it shows.
    var target = document.getElementById(location.hash.slice(1));
    if (target && list.contains(target) && (target.hidden || target.closest('[hidden]'))) {
      form.reset();
      setControls({ severity: '', rule: '', account: '', status: '', q: '' });
      apply();
      target.scrollIntoView();
    }
  });
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
  var initial = readHash();
  if (initial) setControls(initial);
  apply();
  if (initial && section) section.scrollIntoView();
})();`;
