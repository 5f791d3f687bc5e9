// The page of a file generated in the background (reports/file.html): polls its status every second and shows the
// progress, the message and the download link, until the file is done or failed.
(function () {
  const box = document.getElementById("generated-file");
  if (!box || box.dataset.status === "done" || box.dataset.status === "failed") return;
  const bar = document.getElementById("file-progress");
  function show(s) {
    bar.style.width = s.progress + "%";
    bar.setAttribute("aria-valuenow", s.progress);
    bar.textContent = s.progress + "%";
    document.getElementById("file-status-label").textContent = s.status_label;
    const message = document.getElementById("file-message");
    message.textContent = s.message || "";
    message.classList.toggle("d-none", !s.message);
    if (s.download_url) {
      document.getElementById("file-download-link").href = s.download_url;
      document.getElementById("file-download").classList.remove("d-none");
    }
    return s.status === "done" || s.status === "failed";
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        if (show(s)) { document.getElementById("file-waiting").hidden = true; } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
