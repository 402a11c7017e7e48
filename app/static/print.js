// Buttons with data-action="print" print the page (no inline handlers: the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('[data-action="print"]').forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
