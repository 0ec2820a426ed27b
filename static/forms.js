// Progressive enhancement for forms that come back with errors: put the focus on the error
// summary. The summary carries `autofocus` already, but browsers skip autofocus, and clear
// the focus, when the address has a fragment (a form that returns at its own anchor): so
// focus it again once the page has loaded and scrolled to that fragment.
(function () {
  function focusSummary() {
    var summary = document.getElementById('error-summary');
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  }
  focusSummary();
  window.addEventListener('load', function () {
    window.requestAnimationFrame(focusSummary);
  });
})();
