// The trainer's check-in screen, live: every few seconds it asks the session's roster and
// updates "N van M ingecheckt" (a polite live region) and the names. Without JavaScript the
// "Vernieuwen" link reloads the page. A failed request is simply tried again next time.
(function () {
  'use strict';
  var box = document.querySelector('.checkin-live[data-roster]');
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute('data-roster');
  var template = box.getAttribute('data-count-template') || '{n} / {m}';
  var count = box.querySelector('.checkin-count');
  var list = box.querySelector('.checkin-names');
  var every = 5000;

  function show(roster) {
    var enrolled = (roster.items || []).filter(function (p) {
      return p.enrolment_status === 'enrolled';
    });
    var here = enrolled.filter(function (p) {
      return p.attendance === 'present' || p.attendance === 'late';
    });
    var text = template.replace('{n}', String(here.length)).replace('{m}', String(enrolled.length));
    if (count.textContent !== text) {
      count.textContent = text;
    }
    var names = here.map(function (p) { return p.name; });
    var shown = Array.prototype.map.call(list.querySelectorAll('li'), function (li) { return li.textContent; });
    if (names.join('\n') !== shown.join('\n')) {
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      names.forEach(function (name) {
        var li = document.createElement('li');
        li.textContent = name;
        list.appendChild(li);
      });
    }
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (roster) {
        if (roster) {
          show(roster);
        }
      })
      .catch(function () {})
      .then(function () {
        window.setTimeout(poll, every);
      });
  }

  window.setTimeout(poll, every);
})();
