/* Operator portal: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // The language menu switches at once (without scripts, its <noscript> button does).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Classes: add a row from the formset's empty form.
  var addButton = document.querySelector("[data-add-class]");
  var template = document.getElementById("class-row-template");
  var total = document.getElementById("id_classes-TOTAL_FORMS");
  var maxForms = document.getElementById("id_classes-MAX_NUM_FORMS");
  if (addButton && template && total) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (maxForms && index >= parseInt(maxForms.value, 10)) { return; }
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var body = document.querySelector("#class-table tbody");
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = body.lastElementChild && body.lastElementChild.querySelector("select, input");
      if (first) { first.focus(); }
    });
  }

  // Lease dates matter only for leased premises.
  var tenure = document.getElementById("id_tenure");
  var lease = document.querySelector("[data-lease]");
  if (tenure && lease) {
    var showLease = function () { lease.hidden = tenure.value !== "leased"; };
    tenure.addEventListener("change", showLease);
    showLease();
  }

  // A health check is valid for a year: its end date is proposed from the check date, still editable.
  document.querySelectorAll("input[data-year-after]").forEach(function (until) {
    var from = document.getElementById(until.getAttribute("data-year-after"));
    if (!from) { return; }
    from.addEventListener("change", function () {
      if (until.value || !from.value) { return; }
      var day = new Date(from.value + "T00:00:00Z");
      day.setUTCFullYear(day.getUTCFullYear() + 1);
      day.setUTCDate(day.getUTCDate() - 1);
      until.value = day.toISOString().slice(0, 10);
    });
  });

  // An inspection on site: the marks and notes are also kept on this device as they are typed, so a
  // lost connection or a closed tab loses nothing; on the next visit the empty fields are filled back.
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = "draft:" + form.getAttribute("data-draft");
    var store;
    try { store = window.localStorage; } catch (e) { return; }
    if (!store) { return; }
    var saved = {};
    try { saved = JSON.parse(store.getItem(key) || "{}"); } catch (e) { saved = {}; }
    var restored = 0;
    Object.keys(saved).forEach(function (name) {
      var fields = form.querySelectorAll('[name="' + name + '"]');
      if (!fields.length) { return; }
      if (fields[0].type === "radio") {
        var anyChecked = Array.prototype.some.call(fields, function (f) { return f.checked; });
        if (anyChecked) { return; }
        Array.prototype.forEach.call(fields, function (f) {
          if (f.value === saved[name]) { f.checked = true; restored += 1; }
        });
      } else if (!fields[0].value && saved[name]) {
        fields[0].value = saved[name];
        restored += 1;
      }
    });
    if (restored) {
      var note = document.createElement("p");
      note.className = "alert warn";
      note.setAttribute("role", "status");
      note.textContent = form.getAttribute("data-draft-restored") || "";
      form.insertBefore(note, form.firstChild);
    }
    form.addEventListener("input", function (event) {
      var field = event.target;
      if (!field.name || field.type === "file" || field.type === "hidden") { return; }
      if (!/^(result|note)-/.test(field.name)) { return; }
      saved[field.name] = field.value;
      try { store.setItem(key, JSON.stringify(saved)); } catch (e) { /* storage full: the server copy still counts */ }
    });
    if (form.hasAttribute("data-draft-clear")) { store.removeItem(key); }
  });

  // A button that deletes something asks first (without scripts it acts at once, as a plain button).
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
