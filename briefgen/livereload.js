// briefgen serve: keep this page in step with the site being edited.
// After a rebuild the page reloads, or, when only stylesheets changed, swaps them in place
// (no reload, scroll kept). All tabs share one server-sent event stream through a
// SharedWorker, so many open tabs never use up the browser's connections to the server.
(() => {
  "use strict";
  const script = document.currentScript;
  let token = script.dataset.token;

  const isOurs = (link) => new URL(link.href, location.href).pathname.startsWith("/__briefgen/");
  const stylesheets = (root) =>
    [...root.querySelectorAll('link[rel~="stylesheet"]')].filter((link) => !isOurs(link));

  async function swapStylesheets(newToken) {
    const response = await fetch(location.href, { cache: "no-store" });
    const fresh = stylesheets(new DOMParser().parseFromString(await response.text(), "text/html"));
    const current = stylesheets(document);
    if (fresh.length !== current.length) {
      location.reload();
      return;
    }
    current.forEach((link, index) => {
      const replacement = link.cloneNode();
      const href = new URL(fresh[index].getAttribute("href"), location.href);
      href.searchParams.set("briefgen", newToken);  // same name, new content: skip any cache
      replacement.href = href.href;
      replacement.addEventListener("load", () => link.remove(), { once: true });
      replacement.addEventListener("error", () => location.reload(), { once: true });
      link.after(replacement);
    });
  }

  function onState(state) {
    if (state.token === token) return;
    if (state.action === "stylesheets" && state.previous === token) {
      token = state.token;
      swapStylesheets(state.token).catch(() => location.reload());
    } else {
      location.reload();
    }
  }

  if (window.SharedWorker) {
    const worker = new SharedWorker(new URL("livereload-worker.js", script.src), { name: "briefgen" });
    worker.port.onmessage = (event) => onState(event.data);
  } else {
    new EventSource("/__briefgen/events").onmessage = (event) => onState(JSON.parse(event.data));
  }
})();
