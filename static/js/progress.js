// Progress of a takedown file: while it is sent (the upload form, sent in the background so that its bytes
// can be counted), then while the worker checks and loads it (polling the upload's progress). Without
// JavaScript the form posts as usual and the page says to reload.
(function () {
  "use strict";

  function show(box, data) {
    ["status_label", "rows_validated", "error_count", "percent", "note"].forEach(function (name) {
      var el = box.querySelector('[data-field="' + name + '"]');
      if (el && data[name] !== undefined) {
        el.textContent = typeof data[name] === "number" ? data[name].toLocaleString() : data[name];
      }
    });
    var bar = box.querySelector("progress");
    if (bar && typeof data.percent === "number") {
      bar.value = data.percent;
      bar.textContent = data.percent + " %";
    }
  }

  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    function poll() {
      fetch(box.dataset.progressUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          show(box, data);
          if (data.finished) { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    poll();
  });

  document.querySelectorAll("form[data-dropzone]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files.length || !window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var box = document.createElement("div");
      box.className = "sending";
      box.innerHTML = '<progress max="100" value="0">0 %</progress>' +
        '<p aria-live="polite">Sending ' + input.files[0].name.replace(/[<>&]/g, "") +
        ': <strong><span data-field="percent">0</span> %</strong></p>';
      form.appendChild(box);
      form.querySelector("button[type=submit]").disabled = true;
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          show(box, { percent: Math.min(99, Math.floor(progress.loaded * 100 / progress.total)) });
        }
      });
      request.addEventListener("load", function () {
        // The server answers a background post with where to go next (its messages wait for that page);
        // anything else (a refusal page) is shown as it is.
        var type = request.getResponseHeader("Content-Type") || "";
        if (type.indexOf("application/json") === 0) {
          window.location.assign(JSON.parse(request.responseText).redirect);
        } else {
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      request.addEventListener("error", function () {
        box.querySelector("p").textContent = "The file could not be sent. Check your connection and try again.";
        form.querySelector("button[type=submit]").disabled = false;
      });
      request.send(new FormData(form));
    });
  });
})();
