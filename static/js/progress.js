// Polls the progress of files being checked and loaded, and reloads the page when one finishes.
(function () {
  "use strict";
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    var bar = box.querySelector("progress");
    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          ["status_label", "rows_validated", "rows_loaded", "error_count"].forEach(function (name) {
            var el = box.querySelector('[data-field="' + name + '"]');
            if (el) { el.textContent = typeof data[name] === "number" ? data[name].toLocaleString() : data[name]; }
          });
          if (data.finished) { window.location.reload(); return; }
          if (bar && data.rows_validated) { bar.removeAttribute("value"); }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  });
})();
