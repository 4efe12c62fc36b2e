// undercount web pages: plain JavaScript over the JSON API (no library, no build).
// Data is only ever inserted with textContent, never as HTML.
"use strict";

(function () {
  const csrf = () => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  };

  // Calls the API; resolves to the envelope's data, rejects with its error text.
  async function api(method, url, body, extraHeaders) {
    const headers = Object.assign({ "X-CSRF-Token": csrf() }, extraHeaders || {});
    const init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      if (body instanceof Blob) {
        init.body = body;
        headers["Content-Type"] = "application/octet-stream";
      } else {
        init.body = JSON.stringify(body);
        headers["Content-Type"] = "application/json";
      }
    }
    const response = await fetch(url, init);
    if (response.status === 401 && !url.startsWith("/api/auth/login")) {
      window.location.assign("/login");
      throw new Error("not logged in");
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch (e) {
      throw new Error("unexpected answer from the server (" + response.status + ")");
    }
    if (!payload.ok) {
      throw new Error(payload.error || "request failed (" + response.status + ")");
    }
    return payload;
  }

  function flash(text, kind) {
    const box = document.getElementById("flash");
    if (!box) return;
    box.textContent = text;
    box.className = kind || "";
  }

  // A message that survives the page reload that follows a finished job.
  function flashAfterReload(text) {
    try { sessionStorage.setItem("undercount-flash", text); } catch (e) { /* private mode */ }
  }

  function showPendingFlash() {
    try {
      const text = sessionStorage.getItem("undercount-flash");
      if (text) {
        sessionStorage.removeItem("undercount-flash");
        flash(text, "info");
      }
    } catch (e) { /* private mode */ }
  }

  // Polls a job until it ends, showing progress in the form's .job box.
  async function followJob(form, job) {
    const box = form.querySelector(".job");
    const bar = box.querySelector("progress");
    const msg = box.querySelector(".job-msg");
    box.hidden = false;
    for (;;) {
      const data = (await api("GET", "/api/jobs/" + job.job_id)).data;
      if (data.progress === null || data.progress === undefined) {
        bar.removeAttribute("value");
      } else {
        bar.value = data.progress;
      }
      msg.textContent = data.status + (data.message ? ": " + data.message : "");
      if (data.status === "done" || data.status === "failed" || data.status === "interrupted") {
        return data;
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  }

  function busy(form, on) {
    form.querySelectorAll("button, input, select, textarea").forEach((el) => {
      el.disabled = on;
    });
  }

  // -- pages --------------------------------------------------------------------

  function loginPage() {
    const form = document.getElementById("login-form");
    const error = document.getElementById("login-error");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      busy(form, true);
      try {
        await api("POST", "/api/auth/login", {
          username: form.username.value,
          password: form.password.value,
        });
        window.location.assign("/");
      } catch (e) {
        error.textContent = e.message;
        busy(form, false);
        form.password.value = "";
        form.password.focus();
      }
    });
  }

  function uploadForm() {
    const form = document.getElementById("upload-form");
    if (!form) return;
    const result = document.getElementById("upload-result");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      result.textContent = "";
      const source = form.source.value.trim();
      const file = form.file.files[0];
      if (!source || !form.source.checkValidity()) {
        result.textContent = "Give the list a name: letters, digits, _ . or -.";
        form.source.focus();
        return;
      }
      if (!file) {
        result.textContent = "Choose the file to upload.";
        form.file.focus();
        return;
      }
      const max = Number(form.file.dataset.maxBytes);
      if (max && file.size > max) {
        result.textContent = "The file is larger than the upload limit.";
        return;
      }
      busy(form, true);
      try {
        const url = "/api/sources/" + encodeURIComponent(source) +
          "/imports?filename=" + encodeURIComponent(file.name);
        const job = (await api("POST", url, file)).data;
        const done = await followJob(form, job);
        if (done.status === "done") {
          const r = done.result;
          const text = "Imported " + r.file + " into " + r.source + ": " +
            r.rows_in + " rows in, " + r.accepted + " accepted, " +
            r.quarantined + " quarantined" +
            (r.status === "unchanged" ? " (this file was already imported)." : ".");
          flashAfterReload(text);
          window.location.reload();
        } else {
          result.textContent = "Import failed: " + (done.error || done.status);
          busy(form, false);
        }
      } catch (e) {
        result.textContent = "Upload failed: " + e.message;
        busy(form, false);
      }
    });
  }

  function jobForm(id, url, body, describe) {
    const form = document.getElementById(id);
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      busy(form, true);
      try {
        const job = (await api("POST", url, body(form))).data;
        const done = await followJob(form, job);
        if (done.status === "done") {
          flashAfterReload(describe(done));
          window.location.reload();
        } else {
          flash("Failed: " + (done.error || done.status), "error");
          busy(form, false);
        }
      } catch (e) {
        flash(e.message, "error");
        busy(form, false);
      }
    });
  }

  // Declares the project's data (real / simulated / not declared) for the report.
  function projectForm() {
    const form = document.getElementById("project-form");
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      busy(form, true);
      try {
        const project = (await api("PUT", "/api/project", { data: form.data.value })).data;
        flashAfterReload("Data declared: " + project.data + ". The next report uses it.");
        window.location.reload();
      } catch (e) {
        flash(e.message, "error");
        busy(form, false);
      }
    });
  }

  function indexPage() {
    uploadForm();
    projectForm();
    jobForm("linkage-form", "/api/linkage/runs", () => ({}), (job) =>
      "Linkage done: " + job.result.records + " records, " + job.result.people +
      " people, " + job.result.to_review + " pairs to review.");
    jobForm("estimate-form", "/api/estimates", (form) => ({
      method: form.method.value,
      level: Number(form.level.value) || 0.95,
    }), (job) => "Estimate done (" + job.params.method + ").");
    jobForm("report-form", "/api/report/runs", (form) => ({
      public: form.public.checked,
    }), (job) => "Report written" + (job.result.public ? " (public)." : "."));
  }

  function quarantinePage() { /* server-rendered; nothing to do */ }

  function reviewPage() {
    const status = document.getElementById("review-status");
    const pairBox = document.getElementById("pair");
    const blindBox = document.getElementById("blind");
    const note = document.getElementById("note");
    const score = document.getElementById("score");
    let current = null;
    let sending = false;

    const fields = [
      ["source", "List"], ["record_id", "Record"], ["name", "Name"],
      ["date", "Date of death"], ["age", "Age"], ["sex", "Sex"], ["place", "Place"],
    ];

    function age(record) {
      if (record.age_low === null || record.age_low === undefined) return "";
      if (record.age_low === record.age_high) return String(record.age_low);
      return record.age_low + "–" + record.age_high;
    }

    function fill(list, record) {
      list.replaceChildren();
      for (const [key, label] of fields) {
        const dt = document.createElement("dt");
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.setAttribute("dir", "auto");
        const value = key === "age" ? age(record) : record[key];
        dd.textContent = value === null || value === undefined || value === "" ? "–" : value;
        if (key === "name") dd.className = "name";
        list.append(dt, dd);
      }
    }

    async function load() {
      const blind = blindBox.checked;
      status.textContent = "Loading…";
      try {
        const data = (await api("GET", "/api/review/next?blind=" + blind)).data;
        current = data.pair;
        if (!data.run_id) {
          status.textContent = "No linkage run yet: run linkage on the overview page.";
          pairBox.hidden = true;
          return;
        }
        if (!current) {
          status.textContent = "Nothing left to review in the latest linkage run.";
          pairBox.hidden = true;
          return;
        }
        status.textContent = data.remaining + " pair" + (data.remaining === 1 ? "" : "s") +
          " left to review.";
        fill(document.getElementById("left"), current.left);
        fill(document.getElementById("right"), current.right);
        score.textContent = data.blind || current.match_probability === null ||
          current.match_probability === undefined
          ? "" : "Match probability " + Number(current.match_probability).toFixed(3);
        note.value = "";
        pairBox.hidden = false;
      } catch (e) {
        status.textContent = e.message;
      }
    }

    async function decide(verdict) {
      if (!current || sending) return;
      sending = true;
      try {
        await api("POST", "/api/review/decisions", {
          source_l: current.left.source,
          record_id_l: current.left.record_id,
          source_r: current.right.source,
          record_id_r: current.right.record_id,
          verdict: verdict,
          note: note.value,
        });
        flash("Recorded: " + verdict + ".", "info");
        await load();
      } catch (e) {
        flash(e.message, "error");
      } finally {
        sending = false;
      }
    }

    document.querySelectorAll("[data-verdict]").forEach((button) => {
      button.addEventListener("click", () => decide(button.dataset.verdict));
    });
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const tag = (event.target.tagName || "").toLowerCase();
      if (tag === "textarea" || tag === "input" || tag === "select") {
        if (event.key === "Escape") event.target.blur();
        return;
      }
      const verdict = { s: "same", d: "different", u: "unsure" }[event.key];
      if (verdict) {
        event.preventDefault();
        decide(verdict);
      } else if (event.key === "n") {
        event.preventDefault();
        note.focus();
      }
    });
    blindBox.addEventListener("change", load);
    load();
  }

  function logoutButton() {
    const button = document.getElementById("logout");
    if (!button) return;
    button.addEventListener("click", async () => {
      try { await api("POST", "/api/auth/logout", {}); } catch (e) { /* gone anyway */ }
      window.location.assign("/login");
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    showPendingFlash();
    logoutButton();
    const page = document.body.dataset.page;
    const pages = {
      login: loginPage, index: indexPage, quarantine: quarantinePage, review: reviewPage,
    };
    if (pages[page]) pages[page]();
  });
})();
