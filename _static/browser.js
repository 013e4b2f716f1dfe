// A link to a table (#tbl-...) lands on the table itself, but the caption that names it sits
// above, outside the scroller (hanoi_evidence/browser.py, 5): bring the caption into view.
function showTableCaption() {
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.tagName === "TABLE" && target.hasAttribute("aria-labelledby")) {
    document.getElementById(target.getAttribute("aria-labelledby"))?.scrollIntoView();
  }
}
window.addEventListener("hashchange", showTableCaption);
window.addEventListener("load", showTableCaption);
