// A source card in place: a citation opens its source where the reader is, as a card at the foot of
// the screen, instead of jumping to the list of sources. Without JavaScript, or with a modifier key,
// the citation is a plain link to the source in the list, as before.
const card = document.createElement("div");
card.className = "source-card";
card.setAttribute("role", "dialog");
card.tabIndex = -1;  // focusable from code, so a screen reader reads the card as it opens
card.hidden = true;
document.body.append(card);
let opener = null;

function close() {
  if (card.hidden) return;
  card.hidden = true;
  if (opener) opener.focus();
  opener = null;
}

function open(link, source) {
  const body = source.cloneNode(true);
  body.querySelectorAll(".cited-in").forEach((backlinks) => backlinks.remove());
  const number = document.createElement("span");
  number.className = "source-card-number";
  number.textContent = `${source.value}.`;
  const shut = document.createElement("button");
  shut.type = "button";
  shut.className = "source-card-close";
  shut.textContent = "×";
  shut.setAttribute("aria-label", document.getElementById("sources")?.dataset.close || "Close");
  shut.addEventListener("click", close);
  const inList = document.createElement("a");
  inList.href = `#${source.id}`;
  inList.className = "source-card-list";
  inList.textContent = document.getElementById("sources-heading")?.textContent || "Sources";
  inList.addEventListener("click", () => { card.hidden = true; opener = null; });
  const content = document.createElement("p");
  content.append(number, " ", ...body.childNodes);
  card.replaceChildren(shut, content, inList);
  card.setAttribute("aria-label", link.getAttribute("aria-label") || source.textContent.trim());
  card.hidden = false;
  opener = link;
  card.focus();
}

document.addEventListener("click", (event) => {
  const link = event.target.closest?.('sup.cite a[href^="#source-"]');
  if (!link) {
    if (!card.hidden && !card.contains(event.target)) close();
    return;
  }
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
  const source = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!source) return;
  event.preventDefault();
  open(link, source);
});
document.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
