// The visitor's history at the desk: when 12 digits of a CCCD are typed (or, without a CCCD, the full name
// and a four-digit year of birth), the earlier visits and petitions of that citizen in the officer's units are
// shown beside the form (a server-rendered fragment, already escaped).
// "Same matter" puts that petition's receipt number in the form: the petition received is linked to it.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    const panel = document.getElementById("person-history");
    const cccd = document.getElementById("citizen_id");
    const same = document.getElementById("same_matter_no");
    if (!panel || !cccd || !same) {
      return;
    }
    const name = document.getElementById("full_name");
    const year = document.getElementById("birth_year");
    const note = document.getElementById("same-matter-note");
    let shown = "";

    function showChoice() {
      note.classList.toggle("d-none", !same.value);
      note.querySelector("[data-receipt]").textContent = same.value;
    }

    function query() {
      const value = cccd.value.trim();
      if (/^\d{12}$/.test(value)) {
        return "cccd=" + encodeURIComponent(value);
      }
      if (value === "" && name && year && name.value.trim() && /^\d{4}$/.test(year.value.trim())) {
        return "name=" + encodeURIComponent(name.value.trim()) + "&birth_year=" + encodeURIComponent(year.value.trim());
      }
      return "";
    }

    function load() {
      const asked = query();
      if (!asked || asked === shown) {
        return;
      }
      shown = asked;
      fetch(panel.dataset.historyUrl + "?" + asked, { credentials: "same-origin" })
        .then(function (resp) {
          // Only the fragment itself (a lapsed session answers with the login page, after a redirect).
          return resp.ok && !resp.redirected ? resp.text() : "";
        })
        .then(function (html) {
          if (html.indexOf('data-testid="person-history"') !== -1) {
            panel.innerHTML = html;
          } else {
            shown = "";
          }
        })
        .catch(function () { shown = ""; });
    }

    cccd.addEventListener("input", load);
    cccd.addEventListener("change", load);
    if (year) {
      year.addEventListener("input", load);
      year.addEventListener("change", load);
    }
    if (name) {
      name.addEventListener("change", load);
    }
    panel.addEventListener("click", function (event) {
      const button = event.target.closest("[data-same-matter]");
      if (button) {
        same.value = button.dataset.sameMatter;
        showChoice();
      }
    });
    note.querySelector("[data-action=clear-same-matter]").addEventListener("click", function () {
      same.value = "";
      showChoice();
    });
    showChoice();
    load();
  });
})();
