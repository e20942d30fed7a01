// The page's only script, inline and allowed by its hash in the CSP. It reads nothing but the DOM
// (no data blobs to parse: tenant strings only ever live in escaped markup) and makes no request.
// Without it the page is complete; with it, findings can be filtered and searched.
export const SCRIPT = String.raw`(function () {
  'use strict';
  var form = document.getElementById('filters');
  var list = document.getElementById('finding-list');
  if (!form || !list) return;
  form.hidden = false;
  var items = Array.prototype.slice.call(list.querySelectorAll('li.finding'));
  var fields = ['severity', 'rule', 'account', 'status'];
  var count = document.getElementById('flt-count');
  var empty = document.getElementById('flt-empty');
  var text = items.map(function (li) { return li.textContent.toLowerCase(); });
  function value(name) { var el = document.getElementById('flt-' + name); return el ? el.value : ''; }
  function apply() {
    var want = {};
    fields.forEach(function (f) { want[f] = value(f); });
    var q = value('q').trim().toLowerCase();
    var shown = 0;
    items.forEach(function (li, i) {
      var ok = fields.every(function (f) {
        if (!want[f]) return true;
        var have = li.getAttribute('data-' + f) || '';
        return f === 'account' && want[f] === '-' ? have === '' : have === want[f];
      }) && (!q || text[i].indexOf(q) !== -1);
      li.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = 'Showing ' + shown + ' of ' + items.length + ' findings';
    empty.hidden = shown !== 0;
  }
  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  Array.prototype.forEach.call(document.querySelectorAll('[data-filter-severity]'), function (a) {
    a.addEventListener('click', function () {
      form.reset();
      document.getElementById('flt-severity').value = a.getAttribute('data-filter-severity');
      document.getElementById('flt-status').value = 'open';
      apply();
    });
  });
  window.addEventListener('beforeprint', function () {
    Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
  });
  apply();
})();`;
