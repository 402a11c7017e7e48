// Unit form: when the province changes, reload the list of its communes/wards.
// Without JavaScript the form still works: a ward outside the province is refused and the list refreshed.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-wards-url]").forEach((province) => {
    const ward = document.getElementById(province.dataset.wardsTarget);
    if (!ward) return;
    province.addEventListener("change", async () => {
      const blank = ward.options[0] ? ward.options[0].cloneNode(true) : new Option("", "");
      let wards = [];
      if (province.value) {
        const url = province.dataset.wardsUrl + "?province=" + encodeURIComponent(province.value);
        const resp = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!resp.ok) return;
        wards = await resp.json();
      }
      ward.replaceChildren(blank);
      wards.forEach((w) => ward.add(new Option(w.name, w.code)));
      ward.value = "";
    });
  });
});
