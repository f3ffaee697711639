/* The search page (templates/search.html): Pagefind's results for ?q=..., with the term marked in
   each excerpt, and filters (region, sector, concept) to narrow them. Results and filters are put
   in place at once, below everything that is already shown, so nothing on the page moves.

   What Pagefind indexed of a page is its running text, then, after the element whose id is
   data-terms-anchor, words that find the page without being shown (missiekaart/searchtext.py).
   So each excerpt is made here, from the running text only. Filter values are stored with a few
   characters percent-encoded (which Pagefind's search cannot look up as they are): shown and put
   in the address decoded, encoded again to search. */
(() => {
  const element = document.getElementById("mk-search");
  const form = document.querySelector(".mk-search-form");
  const input = document.getElementById("mk-search-input");
  if (!element || !form || !input) return;
  const labels = JSON.parse(element.dataset.labels);
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  // Filters come from the address too, by their name in lower case (search.html?regio=Gent), as on
  // the overview of organisations, whose cards link here.
  const params = new URLSearchParams(window.location.search);
  const selected = {};  // parameter (the filter's name in lower case) -> values
  const key = name => name.toLocaleLowerCase("nl");
  for (const name of new Set(params.keys())) if (!["q", "check_keywords", "area"].includes(name)) selected[key(name)] = params.getAll(name);
  let pagefind = null;
  const EXCERPT_WORDS = 30;  // Pagefind's own excerpt length

  // Filter values: the index's form <-> the value (missiekaart/searchtext.py, stored_value).
  const decoded = value => value.replace(/%([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  const encoded = value => value.replace(/[%\\"\x00-\x1f\x7f]/g,
    c => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));

  // The excerpt: EXCERPT_WORDS words of the page's running text, where the words found weigh most
  // (as Pagefind chooses: the middle one of the densest windows), with them marked; the start of
  // the text when only words to match were found. Text nodes, never HTML.
  function excerpt(data) {
    const words = data.content.split(/\s+/);
    const anchor = (data.anchors || []).find(a => a.id === element.dataset.termsAnchor);
    const end = Math.min(anchor ? anchor.location : words.length, words.length);
    const weights = new Array(end).fill(0);
    for (const hit of data.weighted_locations || []) if (hit.location < end) weights[hit.location] += hit.balanced_score;
    const length = Math.min(EXCERPT_WORDS, end);
    let best = -1, starts = [0], sum = 0;
    for (let i = 0; i < end; i++) {
      sum += weights[i] - (i >= length ? weights[i - length] : 0);
      if (i < length - 1) continue;
      const start = i - length + 1;
      if (sum > best) { best = sum; starts = [start]; }
      else if (sum === best && starts[starts.length - 1] === start - 1) starts.push(start);
    }
    const start = best > 0 ? starts[Math.floor(starts.length / 2)] : 0;
    const found = new Set((data.locations || []).filter(location => location < end));
    const paragraph = make("p", {class: "mk-search-excerpt"});
    paragraph.classList.toggle("mk-cut-start", start > 0);
    paragraph.classList.toggle("mk-cut-end", start + length < end);
    for (let i = start; i < start + length; i++) {
      if (i > start) paragraph.append(" ");
      paragraph.append(found.has(i) ? make("mark", {}, words[i]) : words[i]);
    }
    return paragraph;
  }

  const text = (template, values) => template.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  const make = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };

  function filterPanel(filters) {
    const panel = make("div", {class: "mk-search-filters"});
    for (const [name, values] of Object.entries(filters)) {
      const entries = Object.entries(values).sort((a, b) => decoded(a[0]).localeCompare(decoded(b[0]), "nl"));
      if (!entries.length) continue;
      const chosen = (selected[key(name)] || []).length;
      const details = make("details", chosen ? {open: ""} : {}, make("summary", {}, chosen ? `${name} (${chosen})` : name));
      for (const value of entries.map(([stored]) => decoded(stored))) {
        const box = make("input", {type: "checkbox", name: key(name), value});
        box.checked = (selected[key(name)] || []).includes(value);
        box.addEventListener("change", () => {
          selected[key(name)] = [...panel.querySelectorAll(`input[name="${CSS.escape(key(name))}"]:checked`)].map(b => b.value);
          remember(input.value.trim());
          run(input.value.trim());
        });
        details.append(make("label", {}, box, ` ${value}`));
      }
      panel.append(details);
    }
    return panel;
  }

  function remember(query) {
    const url = new URL(window.location.href);
    url.search = "";
    if (query) url.searchParams.set("q", query);
    for (const [name, values] of Object.entries(selected)) for (const value of values) url.searchParams.append(name, value);
    window.history.replaceState(null, "", url);
  }

  // The index comes in bundles (missiekaart/searchindex.py), listed in bundles.json: Pagefind is
  // loaded from the primary one and the others are merged into it, so one search, its filters and
  // its ranking cover them all.
  async function load() {
    const index = new URL(element.dataset.index, window.location.href);
    const manifest = await (await fetch(index, {cache: "no-cache"})).json();
    const bundle = name => new URL(`${name}/`, index).href;
    const others = Object.keys(manifest.bundles).filter(name => name !== manifest.primary).map(bundle);
    const api = await import(`${bundle(manifest.primary)}pagefind.js`);
    await api.options({baseUrl: root.pathname});
    for (const bundle of others) await api.mergeIndex(bundle, {baseUrl: root.pathname});
    return api;
  }

  async function run(query) {
    const filtering = Object.values(selected).some(values => values.length);
    if (!query && !filtering) { element.replaceChildren(); return; }
    pagefind = pagefind || await load();
    const all = await pagefind.filters();
    const chosen = Object.keys(all).filter(name => (selected[key(name)] || []).length);
    const filters = Object.fromEntries(chosen.map(name => [name, {any: selected[key(name)].map(encoded)}]));
    const search = await pagefind.search(query || null, {filters});
    const what = query || chosen.map(name => `${name}: ${selected[key(name)].join(", ")}`).join("; ");
    const results = await Promise.all(search.results.slice(0, 20).map(result => result.data()));
    const status = make("p", {class: "mk-search-status", role: "status"},
      results.length ? text(results.length === 1 ? labels.one : labels.many, {count: search.results.length, query: what})
                     : text(labels.none, {query: what}));
    const list = make("ol", {class: "mk-search-results"});
    for (const result of results) {
      const item = make("li", {}, make("a", {href: result.url}, result.meta.title || result.url));
      const text = excerpt(result);
      if (text.childNodes.length) item.append(text);
      list.append(item);
    }
    element.replaceChildren(filterPanel(all), status, list);
  }

  form.addEventListener("submit", event => {
    event.preventDefault();
    const query = input.value.trim();
    remember(query);
    run(query);
  });
  const query = params.get("q") || "";
  input.value = query;
  run(query.trim());
})();
