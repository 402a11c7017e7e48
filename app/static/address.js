// Reload the commune/ward options when the province changes (the server validates the pair anyway).
// A province <select> carries data-wards-url (GET ?province=CODE -> {"wards": [{"code", "name"}]})
// and data-ward-select (the id of the ward <select>).
(function () {
  "use strict";

  function replaceOptions(select, wards) {
    const blank = select.querySelector('option[value=""]');
    select.replaceChildren();
    if (blank) {
      select.appendChild(blank);
    }
    wards.forEach(function (ward) {
      const option = document.createElement("option");
      option.value = String(ward.code);
      option.textContent = ward.name;
      select.appendChild(option);
    });
    select.value = "";
  }

  function bind(province) {
    const ward = document.getElementById(province.dataset.wardSelect);
    if (!ward) {
      return;
    }
    province.addEventListener("change", function () {
      if (!province.value) {
        replaceOptions(ward, []);
        return;
      }
      const url = province.dataset.wardsUrl + "?province=" + encodeURIComponent(province.value);
      ward.disabled = true;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (resp) { return resp.ok ? resp.json() : { wards: [] }; })
        .then(function (data) { replaceOptions(ward, data.wards || []); })
        .catch(function () { replaceOptions(ward, []); })
        .finally(function () { ward.disabled = false; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-wards-url][data-ward-select]").forEach(bind);
  });
})();
