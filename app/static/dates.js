// Dates typed as dd/mm/yyyy (and hh:mm) in plain text inputs ([data-date-mask=date|datetime]): the slashes,
// the space and the colon come as the digits are typed. A browser's own date input would follow the
// computer's locale (mm/dd/yyyy on an English Windows); the server parses what is typed either way.
(function () {
  "use strict";

  function format(digits, withTime) {
    const parts = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 8)];
    let out = parts[0];
    if (digits.length > 2) { out += "/" + parts[1]; }
    if (digits.length > 4) { out += "/" + parts[2]; }
    if (withTime && digits.length > 8) {
      out += " " + digits.slice(8, 10);
      if (digits.length > 10) { out += ":" + digits.slice(10, 12); }
    }
    return out;
  }

  document.addEventListener("input", function (event) {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.dateMask) {
      return;
    }
    if (/^\d{4}-/.test(input.value)) {
      return;  // an ISO date pasted in: the server reads it as it is
    }
    const atEnd = input.selectionStart === input.value.length;
    const withTime = input.dataset.dateMask === "datetime";
    const digits = input.value.replace(/\D/g, "").slice(0, withTime ? 12 : 8);
    const formatted = format(digits, withTime);
    if (atEnd && formatted !== input.value && event.inputType !== "deleteContentBackward") {
      input.value = formatted;
    }
  });
})();
