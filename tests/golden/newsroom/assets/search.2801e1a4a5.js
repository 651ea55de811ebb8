// Search with Pagefind's JavaScript API (no UI library: nothing inline, so a strict
// Content-Security-Policy holds). The form keeps its room, unseen, until this shows it, so
// nothing shifts; without JavaScript it stays hidden and takes no room (noscript.css), and
// every page still reads as it is.
//
// The index comes in partitions, each a Pagefind bundle in <bundle><name>/, named by
// <bundle>partitions.json: the first bundle's pagefind.js searches, with the other
// bundles' indexes merged into it, so one query finds a story in any of them.
const MAX_RESULTS = 8;
const form = document.querySelector("form.search");
if (form) start(form);

function start(form) {
  const input = form.querySelector("input");
  const status = document.querySelector("#search_results .search-status");
  const list = document.querySelector("#search_results ol");
  let loading = null;
  let latest = 0;

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    if (!query) return show(ticket, "", []);
    try {
      loading ??= loadPagefind(form.dataset.bundle);
      const pagefind = await loading;
      const search = await pagefind.search(query);
      const results = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
      show(ticket, summary(form, search.results.length, query), results);
    } catch (error) {
      loading = null; // the next query tries again
      show(ticket, form.dataset.unavailable || "Search is not available here.", []);
    }
  }

  function show(ticket, message, results) {
    if (ticket !== latest) return; // a newer query has started
    status.textContent = message;
    list.replaceChildren(...results.map(item));
    list.hidden = results.length === 0;
  }

  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { input.value = ""; run(); }
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  form.hidden = false;
  const asked = new URLSearchParams(location.search).get(input.name);
  if (asked) { input.value = asked; run(); }
}

async function loadPagefind(bundle) {
  const listing = await fetch(`${bundle}partitions.json`);
  if (!listing.ok) throw new Error(`${listing.url}: ${listing.status}`);
  const [first, ...others] = (await listing.json()).partitions.map((name) => `${bundle}${name}/`);
  if (!first) return { search: async () => ({ results: [] }) }; // a site with no stories yet
  const pagefind = await import(`${first}pagefind.js`);
  await Promise.all(others.map((path) => pagefind.mergeIndex(path)));
  return pagefind;
}

// The texts come from the site's labels (data- attributes of the form), in the page's language;
// a template without them gets English.
function summary(form, count, query) {
  const texts = form.dataset;
  const text = count === 0 ? texts.none || "No stories match “{query}”."
    : plural(count) === "one" ? texts.one || "{count} story matches “{query}”."
      : texts.other || "{count} stories match “{query}”.";
  const values = { count, query };
  return text.replace(/\{(\w+)\}/g, (found, name) => (Object.hasOwn(values, name) ? values[name] : found));
}

function plural(count) {
  try {
    return new Intl.PluralRules(document.documentElement.lang).select(count) === "one" ? "one" : "other";
  } catch {
    return count === 1 ? "one" : "other"; // a lang attribute Intl cannot read
  }
}

// A result links to the section the words were found in (Pagefind's sub-result under the
// heading above them) and names it; its excerpt is a window of words, marked as one by "…".
function item(result) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  const best = (result.sub_results || []).find((sub) => sub.excerpt.includes("<mark>"));
  const found = best && best.url !== result.url ? best : null;
  link.href = found ? found.url : result.url;
  link.textContent = result.meta.title;
  li.append(link);
  if (found && found.title && found.title !== result.meta.title) {
    const section = document.createElement("span");
    section.className = "search-section";
    section.textContent = ` · ${found.title}`;
    li.append(section);
  }
  const excerpt = document.createElement("p");
  excerpt.innerHTML = `… ${(found || result).excerpt} …`; // Pagefind escapes the text; only <mark> is markup
  li.append(excerpt);
  return li;
}
