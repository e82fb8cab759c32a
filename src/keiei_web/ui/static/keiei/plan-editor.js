/* keiei plan editor: add rows, autosave, refresh the live panel. Everything works without it:
   the add buttons then submit the form (the server saves and shows one more row), and the
   panel is on the page after each save. No library, no network access beyond this site. */
(function () {
  "use strict";
  var form = document.querySelector("form.plan-form");
  if (!form) { return; }
  var status = form.querySelector(".autosave-status");
  var panel = document.getElementById("live-panel");
  var autosave = form.getAttribute("data-autosave") === "1";
  var DELAY = 2500;          // ms after the last change
  var MAX_WAIT = 10000;      // save at least this often while someone keeps typing
  var timer = null, firstChange = 0, inFlight = false, again = false, dirty = false, submitting = false;
  var blocked = false;       // someone else saved the same fields: saving waits for the user
  var revision = form.querySelector("input[name='_revision']");

  function say(text, cls) {
    if (!status) { return; }
    status.textContent = text;
    status.className = "autosave-status small " + (cls || "muted");
  }

  /* --- rows: clone the <template> of a list, numbering the new row after the last one --- */
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button.add-row");
    if (!button || !form.contains(button)) { return; }
    var tpl = document.getElementById(button.getAttribute("data-template"));
    var target = document.getElementById(button.getAttribute("data-target"));
    if (!tpl || !target) { return; }  // no template: let the button submit (server adds the row)
    event.preventDefault();
    var n = parseInt(button.getAttribute("data-next") || "0", 10);
    var token = button.getAttribute("data-placeholder") || "__0__";
    var html = tpl.innerHTML.split(token).join(String(n));
    var holder = document.createElement(target.tagName === "TBODY" ? "tbody" : "div");
    holder.innerHTML = html;
    var added = [];
    while (holder.firstElementChild) {
      added.push(holder.firstElementChild);
      target.appendChild(holder.firstElementChild);
    }
    button.setAttribute("data-next", String(n + 1));
    var first = added.length ? added[0].querySelector("input:not([type=hidden]), select, textarea") : null;
    if (first) { first.focus(); }
  });

  /* --- a row marked for deletion is greyed until the save removes it --- */
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches && box.matches("label.del input[type=checkbox]")) {
      var row = box.closest("tr, fieldset");
      if (row) { row.classList.toggle("deleting", box.checked); }
    }
  });

  /* --- the sales driver: show only the inputs of the chosen way --- */
  var mode = form.querySelector("select[name='drivers.sales._mode']");
  function showMode() {
    if (!mode) { return; }
    form.querySelectorAll(".sales-mode").forEach(function (el) {
      el.hidden = !el.classList.contains("mode-" + mode.value);
    });
  }
  if (mode) { mode.addEventListener("change", showMode); showMode(); }

  var resch = form.querySelector("select[name='financial_support.rescheduling._on']");
  function showRescheduling() {
    var box = form.querySelector(".rescheduling");
    if (resch && box) { box.hidden = resch.value !== "yes"; }
  }
  if (resch) { resch.addEventListener("change", showRescheduling); showRescheduling(); }

  if (!autosave) { return; }

  /* --- autosave: POST the whole step a moment after a change --- */
  function schedule() {
    dirty = true;
    if (blocked) { return; }
    var now = Date.now();
    if (!firstChange) { firstChange = now; }
    clearTimeout(timer);
    var wait = Math.max(0, Math.min(DELAY, MAX_WAIT - (now - firstChange)));
    timer = setTimeout(save, wait);
    say("未保存の変更があります…");
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () { submitting = true; clearTimeout(timer); });

  function save() {
    if (submitting || blocked) { return; }
    if (inFlight) { again = true; return; }
    inFlight = true; dirty = false; firstChange = 0;
    say("保存中…");
    var data = new FormData(form);
    var posted = {};
    data.forEach(function (value, name) { posted[name] = value; });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Keiei-Autosave": "1", "X-Requested-With": "XMLHttpRequest", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.body.conflict) {
        blocked = true;
        showConflicts(result.body);
        return;
      }
      if (!result.ok || !result.body.ok) {
        say("保存できませんでした: " + (result.body.message || ""), "bad-text");
        return;
      }
      var body = result.body;
      say((body.saved ? "自動保存しました " : "保存済みです ") + body.at + (body.valid ? "" : "（エラーあり）"), body.valid ? "ok-text" : "warn-text");
      follow(body, posted);
      updateCounts(body.counts || {});
      if (body.fields) { updateFields(body.fields); }
      refreshPanel();
    }).catch(function () {
      say("保存できませんでした（通信エラー）。「保存する」を押してください。", "bad-text");
      dirty = true;
    }).then(function () {
      inFlight = false;
      if (again) { again = false; save(); }
    });
  }

  /* The next save builds on the stored revision only when the page shows what is stored.
     After a merge (someone saved other fields meanwhile) their values are put into the inputs
     not typed in since the save left; otherwise the old revision is kept, so the server
     compares with it again and nothing anyone typed is overwritten unseen. */
  function follow(body, posted) {
    if (!revision || body.revision === undefined) { return; }
    if (!body.merged) { revision.value = String(body.revision); return; }
    if (body.reload) {
      if (!dirty && !again) { window.location.reload(); return; }
      say("ほかの人の変更を取り込みました。ページを読み込み直すと表示されます。", "warn-text");
      return;
    }
    var inStep = true;
    Object.keys(body.values || {}).forEach(function (name) {
      var input = form.querySelector("[name='" + name.replace(/'/g, "\\'") + "']");
      if (!input) { inStep = false; return; }
      if (input.value === (posted[name] === undefined ? input.value : posted[name])) {
        input.value = body.values[name];
      } else {
        inStep = false;  // typed in since: the server decides at the next save
      }
    });
    if (inStep) { revision.value = String(body.revision); }
  }

  function showConflicts(body) {
    say("保存していません: ほかの人が同じ項目を変更しました。", "bad-text");
    var box = form.querySelector(".conflicts.from-autosave");
    if (!box) {
      box = document.createElement("div");
      box.className = "conflicts from-autosave";
      box.setAttribute("role", "alert");
      var head = form.querySelector(".form-head");
      form.insertBefore(box, head ? head.nextSibling : form.firstChild);
    }
    box.textContent = "";
    var p = document.createElement("p");
    p.textContent = (body.message || "") + " 「保存する」を押すと、項目ごとにどちらの値にするかを選べます。入力はそのまま残っています。";
    box.appendChild(p);
    var list = document.createElement("ul");
    (body.conflicts || []).forEach(function (c) {
      var li = document.createElement("li");
      li.textContent = c.label + ": あなたの入力「" + c.mine + "」／保存されている値「" + c.stored + "」";
      list.appendChild(li);
    });
    box.appendChild(list);
  }

  function updateCounts(counts) {
    Object.keys(counts).forEach(function (slug) {
      var el = document.querySelector("[data-step-count='" + slug + "']");
      if (el) { el.textContent = counts[slug]; el.classList.toggle("zero", !counts[slug]); }
    });
  }

  /* messages next to inputs, when the server says the posted names still match its rows */
  function updateFields(fields) {
    form.querySelectorAll(".fld").forEach(function (fld) {
      fld.classList.remove("has-error", "has-warning");
      fld.querySelectorAll(".error, .warning").forEach(function (m) { m.remove(); });
      var input = fld.querySelector("[name]");
      if (input) { input.removeAttribute("aria-invalid"); }
    });
    Object.keys(fields).forEach(function (name) {
      var input = form.querySelector("[name='" + name.replace(/'/g, "\\'") + "']");
      var fld = input ? input.closest(".fld") : null;
      if (!fld) { return; }
      var info = fields[name];
      (info.errors || []).forEach(function (text) { append(fld, "error", text); });
      (info.warnings || []).forEach(function (text) { append(fld, "warning", text); });
      if ((info.errors || []).length) { fld.classList.add("has-error"); input.setAttribute("aria-invalid", "true"); }
      else if ((info.warnings || []).length) { fld.classList.add("has-warning"); }
    });
  }
  function append(fld, cls, text) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    fld.appendChild(span);
  }

  function refreshPanel() {
    var url = form.getAttribute("data-panel");
    if (!panel || !url) { return; }
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { panel.innerHTML = html; } })
      .catch(function () { /* the panel refreshes at the next save */ });
  }

  /* leaving the page with unsaved changes: send them anyway */
  window.addEventListener("pagehide", function () {
    if (dirty && !submitting && !blocked && navigator.sendBeacon) {
      // sendBeacon cannot set headers; the server treats it as a normal save and redirects.
      navigator.sendBeacon(form.action, new FormData(form));
    }
  });
})();
