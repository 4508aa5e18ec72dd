// The compare page: client-side limits, a visible "comparing" state, and upload-and-store with progress
// (the upload's bytes, then the ingest job's articles). Only textContent is ever set from server data,
// so no article string becomes markup. Everything else on the site works without this file.
"use strict";
(function () {
  const form = document.getElementById("compare-form");
  if (!form) return;
  const storeButton = document.getElementById("store-button");
  const compareButton = document.getElementById("compare-button");
  const box = document.getElementById("progress");
  const bar = document.getElementById("progress-bar");
  const label = document.getElementById("progress-text");
  const list = document.getElementById("job-result");
  const maxFiles = Number(form.dataset.maxFiles || 0);
  const maxBytes = Number(form.dataset.maxBytes || 0);
  const maxRequest = Number(form.dataset.maxRequest || 0);

  function say(text) { label.textContent = text; }
  function busy(on) { storeButton.disabled = on; compareButton.disabled = on; }
  function addItem(text, href) {
    const li = document.createElement("li");
    if (href) { const a = document.createElement("a"); a.href = href; a.textContent = text; li.appendChild(a); }
    else { li.textContent = text; }
    list.appendChild(li);
  }
  // The server enforces the same limits; checking here saves a long upload that would be refused.
  function tooBig() {
    const files = Array.from(document.getElementById("files").files || []);
    const texts = Array.from(form.querySelectorAll("textarea")).filter((t) => t.value.trim());
    if (maxFiles && files.length + texts.length > maxFiles) return `too many files: at most ${maxFiles}`;
    const big = files.find((f) => maxBytes && f.size > maxBytes);
    if (big) return `${big.name}: larger than the ${Math.round(maxBytes / 1e6)} MB limit per file`;
    const total = files.reduce((n, f) => n + f.size, 0);
    return maxRequest && total > maxRequest ? `${Math.round(total / 1e6)} MB in all: more than the ${Math.round(maxRequest / 1e6)} MB limit per request` : "";
  }
  function poll(url) {
    fetch(url, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((job) => {
        if (job.error) { say(job.error.message); busy(false); return; }
        bar.value = job.progress;
        say(`${job.state}: ${job.read} of ${job.total} read, ${job.new} new, ${job.duplicates} duplicates, ${job.failed} failed`);
        if (job.state === "done" || job.state === "failed") {
          box.dataset.state = job.state;
          job.errors.forEach((e) => addItem(e));
          job.story_ids.forEach((s) => addItem("story " + s, "/stories/" + encodeURIComponent(s)));
          busy(false);
          return;
        }
        setTimeout(() => poll(url), 250);
      })
      .catch(() => { say("lost contact with the server"); busy(false); });
  }
  form.addEventListener("submit", function (ev) {
    const problem = tooBig();
    if (problem) { ev.preventDefault(); box.hidden = false; say(problem); return; }
    // The comparison runs on the server; the page stays responsive and says so until the report arrives.
    box.hidden = false; bar.removeAttribute("value"); say("comparing… (models run on the server, this takes a few seconds)");
    setTimeout(() => busy(true), 0);
  });
  storeButton.addEventListener("click", function () {
    const problem = tooBig();
    box.hidden = false; list.textContent = ""; delete box.dataset.state;
    if (problem) { say(problem); return; }
    const data = new FormData(form);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/ingest");
    const token = document.getElementById("token");
    if (token && token.value) xhr.setRequestHeader("Authorization", "Bearer " + token.value);
    bar.value = 0; busy(true);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { bar.value = e.loaded / e.total; say(`uploading ${Math.round(100 * e.loaded / e.total)}%`); } };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = { error: { message: "unexpected reply from the server" } }; }
      if (xhr.status >= 400) { box.dataset.state = "error"; say(body.error ? body.error.message : "failed"); busy(false); return; }
      bar.value = 0; say("analysing…"); poll(body.url);
    };
    xhr.onerror = () => { box.dataset.state = "error"; say("upload failed"); busy(false); };
    xhr.send(data);
  });
})();
