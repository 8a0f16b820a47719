// Live updates for the board (the only script; the CSP allows no inline script).
// <body data-live="/board/api/…" data-live-version="…">: every 2 s fetch that JSON; when its "version" changes, fetch
// this page again and swap its <main>. A job page stops once its job has ended and the ended page is shown.
"use strict";
(function () {
  const body = document.body;
  const url = body.dataset.live;
  if (!url) return;
  let version = body.dataset.liveVersion;
  const everyMs = 2000;

  async function refresh() {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, cache: "no-store" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("main");
    if (fresh) document.getElementById("main").replaceWith(document.adoptNode(fresh));
    document.title = page.title;
  }

  async function poll() {
    try {
      const response = await fetch(url, { cache: "no-store" });
      if (response.ok) {
        const status = await response.json();
        if (status.version !== version) {
          version = status.version;
          await refresh();
        }
        if (status.terminal === true) return;   // the ended job's page is shown: nothing more will change
      }
    } catch (e) {
      // The party may be restarting: keep trying at the same pace.
    }
    window.setTimeout(poll, everyMs);
  }

  window.setTimeout(poll, everyMs);
})();
