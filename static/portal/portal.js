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

  // A button that deletes something asks first (without scripts it acts at once, as a plain button).
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
