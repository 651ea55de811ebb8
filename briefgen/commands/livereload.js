// briefgen serve: keep this page in step with the site being edited.
// After a rebuild that changed this page, it fetches itself again and takes the new <main> and
// the changed elements of <head> in place: no reload, so the scroll position, the focus and the
// state of the page's scripts (the search box, in the header) stay. When only stylesheets changed,
// it swaps them. A change anywhere else in the page, a failed rebuild or anything unexpected
// reloads it; a page whose bytes did not change does nothing. All tabs share one server-sent event
// stream through a SharedWorker, so many open tabs never use up the browser's connections.
(() => {
  "use strict";
  const script = document.currentScript;
  const page = script.dataset.page;  // the output file this page is; absent when the server could not tell
  let token = script.dataset.token;  // the build this page shows, kept in the attribute for all to see
  const EXECUTABLE = 'script:not([type]), script[type=""], script[type="module" i], script[type*="javascript" i]';
  const queue = [];
  let following = false;

  const isOurs = (element) => {
    const url = element.getAttribute("src") ?? element.getAttribute("href");
    return url !== null && new URL(url, location.href).pathname.startsWith("/__briefgen/");
  };
  const isStylesheet = (element) => element.matches('link[rel~="stylesheet"]');
  const stylesheets = (root) => [...root.querySelectorAll('link[rel~="stylesheet"]')].filter((link) => !isOurs(link));
  const isElement = (node) => node.nodeType === Node.ELEMENT_NODE;
  const isScript = (node) => isElement(node) && node.matches(EXECUTABLE);
  const hasScript = (node) => isScript(node) || (isElement(node) && node.querySelector(EXECUTABLE) !== null);
  const loaded = (link) => new Promise((resolve, reject) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", reject, { once: true });
  });

  // A script can be neither run again nor taken back: a page whose scripts changed reloads.
  function withoutScripts(node) {
    if (hasScript(node)) throw new Error("a script changed");
    return node;
  }
  const adopt = (fresh) => document.importNode(withoutScripts(fresh), true);
  const drop = (node) => withoutScripts(node).remove();
  const replace = (node, fresh) => withoutScripts(node).replaceWith(adopt(fresh));

  // Make `node` like `fresh` (from the fetched page), keeping every node that did not change.
  function patch(node, fresh) {
    if (node.isEqualNode(fresh)) return;
    if (node.nodeName !== fresh.nodeName || isScript(node)) {
      replace(node, fresh);
    } else if (!isElement(node)) {
      node.nodeValue = fresh.nodeValue;
    } else {
      patchAttributes(node, fresh);
      patchChildren(node, fresh);
    }
  }

  function patchAttributes(element, fresh) {
    for (const { name } of [...element.attributes]) {
      if (!fresh.hasAttribute(name)) element.removeAttribute(name);
    }
    for (const { name, value } of fresh.attributes) {
      if (element.getAttribute(name) !== value) element.setAttribute(name, value);
    }
  }

  // The children that match at both ends stay; those between are patched pairwise, added or removed.
  function patchChildren(parent, fresh) {
    const old = [...parent.childNodes];
    const next = [...fresh.childNodes];
    let start = 0;
    let oldEnd = old.length;
    let nextEnd = next.length;
    while (start < oldEnd && start < nextEnd && old[start].isEqualNode(next[start])) start++;
    while (oldEnd > start && nextEnd > start && old[oldEnd - 1].isEqualNode(next[nextEnd - 1])) {
      oldEnd--;
      nextEnd--;
    }
    const paired = Math.min(oldEnd, nextEnd) - start;
    for (let i = start; i < start + paired; i++) patch(old[i], next[i]);
    for (const node of old.slice(start + paired, oldEnd)) drop(node);
    const before = old[oldEnd] ?? null;
    for (const node of next.slice(start + paired, nextEnd)) parent.insertBefore(adopt(node), before);
  }

  // <head> is a set: elements equal to a fresh one stay, new ones go where the fresh page has them,
  // the rest go (a stylesheet only once its successors have loaded, so nothing shows unstyled).
  function patchHead(freshHead) {
    const unused = [...document.head.children].filter((element) => !isOurs(element));
    const added = [];
    let anchor = null;
    for (const fresh of [...freshHead.children].filter((element) => !isOurs(element))) {
      const same = unused.findIndex((element) => element.isEqualNode(fresh));
      if (same >= 0) {
        anchor = unused.splice(same, 1)[0];
        continue;
      }
      const copy = adopt(fresh);
      if (anchor) anchor.after(copy);
      else document.head.prepend(copy);
      anchor = copy;
      added.push(copy);
    }
    const staleSheets = unused.filter(isStylesheet);
    unused.filter((element) => !isStylesheet(element)).forEach(drop);
    Promise.all(added.filter(isStylesheet).map(loaded))
      .then(() => staleSheets.forEach((link) => link.remove()), () => location.reload());
  }

  async function fetchPage() {
    const response = await fetch(location.href, { cache: "no-store" });
    const kind = response.headers.get("content-type") ?? "";
    if (!response.ok || response.redirected || !kind.startsWith("text/html")) throw new Error("not this page");
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    // DOMParser parses with scripting off, so a <noscript>'s content becomes elements (a stylesheet for
    // readers without JavaScript): this page, which runs scripts, holds it as text. Compare like with like.
    fresh.querySelectorAll("noscript").forEach((element) => element.remove());
    return fresh;
  }

  async function updateInPlace() {
    const fresh = await fetchPage();
    const main = document.querySelector("main");
    const freshMain = fresh.querySelector("main");
    if (!main || !freshMain) throw new Error("no <main> to update");
    const { scrollX, scrollY } = window;
    const focused = document.activeElement?.id;
    patchHead(fresh.head);
    patch(main, freshMain);
    window.scrollTo(scrollX, scrollY);  // the same offset as after a reload, whatever grew above the view
    if (focused && document.activeElement === document.body) {  // the focused element was replaced
      document.getElementById(focused)?.focus({ preventScroll: true });
    }
  }

  async function swapStylesheets() {
    const fresh = stylesheets(await fetchPage());
    const current = stylesheets(document);
    if (fresh.length !== current.length) throw new Error("stylesheets added or removed");
    current.forEach((link, index) => {
      const replacement = link.cloneNode();
      const href = new URL(fresh[index].getAttribute("href"), location.href);
      href.searchParams.set("briefgen", token);  // same name, new content: skip any cache
      replacement.href = href.href;
      loaded(replacement).then(() => link.remove(), () => location.reload());
      link.after(replacement);
    });
  }

  const steps = {
    none: async () => {},
    update: updateInPlace,
    stylesheets: swapStylesheets,
    reload: async () => location.reload(),
  };

  // What this page does to catch up with a rebuild that followed the one it shows.
  function stepFor(state) {
    if (state.action !== "update") return state.action;
    if (!page) return "reload";  // any change may be the one that brings this page
    return Object.hasOwn(state.pages, page) ? state.pages[page] : "none";
  }

  async function follow(state) {
    if (state.token === token) return;
    const step = state.previous === token ? steps[stepFor(state)] ?? steps.reload : steps.reload;
    token = script.dataset.token = state.token;
    await step();
  }

  // One state at a time, in order: each step starts from the page the one before left.
  async function followQueue() {
    if (following) return;
    following = true;
    try {
      while (queue.length) await follow(queue.shift());
    } catch {
      location.reload();
    } finally {
      following = false;
    }
  }

  function onState(state) {
    queue.push(state);
    followQueue();
  }

  if (window.SharedWorker) {
    const worker = new SharedWorker(new URL("livereload-worker.js", script.src), { name: "briefgen" });
    worker.port.onmessage = (event) => onState(event.data);
  } else {
    new EventSource("/__briefgen/events").onmessage = (event) => onState(JSON.parse(event.data));
  }
})();
