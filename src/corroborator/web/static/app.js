// Upload-and-store with visible progress: the upload's bytes, then the ingest job's articles.
// Only textContent is ever set from server data, so no article string becomes markup.
"use strict";
(function () {
  const button = document.getElementById("store-button");
  if (!button) return;
  const form = document.getElementById("compare-form");
  const box = document.getElementById("progress");
  const bar = document.getElementById("progress-bar");
  const label = document.getElementById("progress-text");
  const list = document.getElementById("job-result");

  function headers(xhr) {
    const token = document.getElementById("token");
    if (token && token.value) xhr.setRequestHeader("Authorization", "Bearer " + token.value);
  }
  function say(text) { label.textContent = text; }
  function addItem(text, href) {
    const li = document.createElement("li");
    if (href) { const a = document.createElement("a"); a.href = href; a.textContent = text; li.appendChild(a); }
    else { li.textContent = text; }
    list.appendChild(li);
  }
  function poll(url) {
    fetch(url, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((job) => {
        if (job.error) { say(job.error.message); return; }
        bar.value = job.progress;
        say(`${job.state}: ${job.read} of ${job.total} read, ${job.new} new, ${job.duplicates} duplicates, ${job.failed} failed`);
        if (job.state === "done" || job.state === "failed") {
          job.errors.forEach((e) => addItem(e));
          job.story_ids.forEach((s) => addItem("story " + s, "/stories/" + encodeURIComponent(s)));
          button.disabled = false;
          return;
        }
        setTimeout(() => poll(url), 300);
      })
      .catch(() => { say("lost contact with the server"); button.disabled = false; });
  }
  button.addEventListener("click", function () {
    const data = new FormData(form);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/ingest");
    headers(xhr);
    box.hidden = false; bar.value = 0; list.textContent = ""; button.disabled = true;
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { bar.value = e.loaded / e.total; say(`uploading ${Math.round(100 * e.loaded / e.total)}%`); } };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = { error: { message: "unexpected reply" } }; }
      if (xhr.status >= 400) { say(body.error ? body.error.message : "failed"); button.disabled = false; return; }
      bar.value = 0; say("analysing…"); poll(body.url);
    };
    xhr.onerror = () => { say("upload failed"); button.disabled = false; };
    xhr.send(data);
  });
})();
