// The WordPress import's progress page: asks the server how far the import is, every
// second, and shows it; when the import ends, the page reloads to show the summary.
(function () {
  "use strict";
  var script = document.getElementById("import-progress-script");
  if (!script) return;
  var url = script.dataset.statusUrl;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.finished) { window.location.reload(); return; }
        var bar = document.getElementById("import-progress");
        if (bar && state.total) { bar.max = state.total; bar.value = state.done; }
        var status = document.getElementById("import-status");
        if (status) {
          status.textContent = state.status + (state.total ? ": " + state.done + " of " + state.total + " " + state.unit : "") + ".";
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
