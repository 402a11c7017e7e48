// Never lose typed work (app/users/drafts.py): while a form is being filled in, typing renews the login
// session (at most every quarter of the idle limit); a warning with a countdown comes before the session
// ends, with a button to continue; when it has ended the banner says that saving will bring the form back
// after logging in again. The page that gives a draft back sends it on its own (data-auto-submit).
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-auto-submit]").forEach(function (form) { form.submit(); });

    const body = document.body;
    const idle = parseInt(body.dataset.idleSeconds || "0", 10);
    const banner = document.getElementById("session-warning");
    if (!idle || !banner) {
      return;
    }
    const url = body.dataset.aliveUrl;
    const lead = Math.min(120, Math.floor(idle / 2)) * 1000;
    const renewEvery = Math.min(60, Math.floor(idle / 4)) * 1000;
    let endsAt = Date.now() + idle * 1000;  // the server's idle clock as this page knows it
    let renewedAt = Date.now();
    let busy = false;
    let ended = false;

    function show(state) {
      banner.classList.toggle("d-none", state === "none");
      banner.querySelectorAll("[data-when]").forEach(function (el) {
        el.classList.toggle("d-none", el.dataset.when !== state);
      });
    }

    function ask(touch) {
      if (busy || ended) {
        return;
      }
      busy = true;
      fetch(url + (touch ? "?touch=1" : ""), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 401) {
            ended = true;
            show("expired");
            return null;
          }
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && typeof data.remaining === "number") {
            endsAt = Date.now() + data.remaining * 1000;
            if (touch) {
              renewedAt = Date.now();
            }
            if (endsAt - Date.now() > lead) {
              show("none");
            }
          }
        })
        .catch(function () { /* offline for a moment: the next tick asks again */ })
        .finally(function () { busy = false; });
    }

    function typed() {
      if (!ended && Date.now() - renewedAt >= renewEvery) {
        ask(true);
      }
    }
    document.addEventListener("input", typed, true);
    document.addEventListener("change", typed, true);
    banner.querySelector("[data-action=keep-alive]").addEventListener("click", function () { ask(true); });

    let checked = false;
    setInterval(function () {
      if (ended) {
        return;
      }
      const left = endsAt - Date.now();
      if (left <= lead) {
        // Another tab may have kept the session alive: ask once (a check, not a renewal) before warning.
        if (!checked) {
          checked = true;
          ask(false);
          return;
        }
        const seconds = Math.max(0, Math.ceil(left / 1000));
        banner.querySelector("[data-countdown]").textContent =
          Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
        show(left > 0 ? "warn" : "none");
        if (left <= 0) {
          ask(false);  // the server says whether it has really ended
        }
      } else {
        checked = false;
      }
    }, 1000);
  });
})();
