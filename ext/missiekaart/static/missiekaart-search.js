/* The search page: Pagefind's UI in the page's language (<html lang="nl">), its result links
   relative to wherever the site is served, and the query of the theme's search box (?q=...). */
window.addEventListener("DOMContentLoaded", () => {
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const element = document.getElementById("mk-search");
  const ui = new PagefindUI({
    element: "#mk-search",
    translations: JSON.parse(element.dataset.labels || "{}"),
    baseUrl: root.pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    autofocus: true,
  });
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
});
