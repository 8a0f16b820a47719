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
    if (!response.ok) return false;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("main");
    if (!fresh) return false;
    document.getElementById("main").replaceWith(document.adoptNode(fresh));
    document.title = page.title;
    return true;
  }

  async function poll() {
    try {
      const response = await fetch(url, { cache: "no-store" });
      if (response.ok) {
        const status = await response.json();
        // The version is taken only once its page is shown, so a failed reload is retried at the next poll.
        if (status.version !== version && await refresh()) version = status.version;
        if (status.terminal === true && status.version === version) return;   // the ended job's page is shown
      }
    } catch (e) {
      // The party may be restarting: keep trying at the same pace.
    }
    window.setTimeout(poll, everyMs);
  }

  window.setTimeout(poll, everyMs);
})();
