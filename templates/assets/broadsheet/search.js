// Broadsheet's search page: Pagefind's ready-made UI, loaded from the site's own search
// bundle (no CDN). Pagefind fetches index chunks only when the reader types a query.
(function () {
  "use strict";
  var root = document.querySelector("[data-bs-search]");
  if (!root) return;
  // Both are page-relative in the HTML so the site works under any path; Pagefind wants them
  // resolved: the bundle's address, and the site's base path to prefix result URLs with.
  var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI).href;
  var base = new URL(root.getAttribute("data-base") + "/", document.baseURI).pathname;

  function unavailable() {
    var note = document.querySelector("[data-bs-search-unavailable]");
    if (note) note.hidden = false;
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);

  // A big site's index comes in parts (parts.json names the others, see search.py), which
  // Pagefind merges into one list of results. Fetched while its UI loads.
  var parts = fetch(bundle + "parts.json").then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  });
  parts.catch(function () {});  // reported once the UI has loaded

  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onerror = unavailable;  // e.g. `mkdocs serve` before the first index is ready
  script.onload = function () {
    if (typeof window.PagefindUI !== "function") return unavailable();
    // Without the list of parts, searching the first alone would hide articles: no search.
    parts.then(start, unavailable);
  };
  document.head.appendChild(script);

  function start(list) {
    var ui = new window.PagefindUI({
      element: root,
      bundlePath: bundle,
      baseUrl: base,
      mergeIndex: (list.merge || []).map(function (folder) {
        return { bundlePath: new URL(folder, bundle).href, baseUrl: base };
      }),
      showImages: false,
      showSubResults: false,
      resetStyles: true,
      autofocus: true
    });
    // Pagefind's box has only a title and a placeholder; the page's heading is its label.
    var input = root.querySelector(".pagefind-ui__search-input");
    if (input) input.setAttribute("aria-labelledby", "bs-search-heading");
    // /search/?q=words runs that search at once, so a search can be linked to or bookmarked.
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
})();
