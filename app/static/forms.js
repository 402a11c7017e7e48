// Show a form section only when it applies: data-show-when="field=value1,value2" hides the element
// unless the form control named "field" has one of the values. Without JS every section stays visible,
// and the server checks the required fields either way.
(function () {
  "use strict";

  function controlValue(form, name) {
    const control = form.elements.namedItem(name);
    if (!control) {
      return null;
    }
    if (control instanceof RadioNodeList) {
      return control.value;
    }
    if (control.type === "checkbox") {
      return control.checked ? (control.value || "y") : "";
    }
    return control.value;
  }

  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      const spec = el.dataset.showWhen.split("=");
      const value = controlValue(form, spec[0]);
      if (value === null) {
        return;
      }
      el.classList.toggle("d-none", spec[1].split(",").indexOf(value) === -1);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when]")) {
        update(form);
        form.addEventListener("change", function () { update(form); });
      }
    });
  });
})();
