// The organisation overview's filters (missiekaart/facets.py renders the controls, hidden until
// this script runs). The filter state lives in the URL (?regio=...&begrip=...), so a filtered
// view can be shared; the number of organisations shown is announced (aria-live). Each item's
// data-facets holds, per control in order, the numbers of its options ("2|0|5|1,4,7").
//
// A paged overview (missiekaart/paging.py) shows each province's first organisations and links to
// the province's pages; its form's data-source names a script with every organisation
// (missiekaart/overviewlist.py). It is loaded when a reader filters or sorts by name, and the
// list of every organisation, made from it, takes the page's place until the filters are reset.
(function () {
  "use strict";

  function itemsOf(list) {
    return Array.prototype.slice.call(list.querySelectorAll("li[data-facets]"));
  }

  // The list of every organisation, grouped by province as the page's own list is.
  function wholeList(data) {
    var list = document.createElement("div");
    list.className = "mk-overview-list mk-generated mk-overview-whole";
    var groups = data.groups.map(function (label) {
      var group = document.createElement("div");
      group.className = "mk-overview-group";
      var rubric = document.createElement("p");
      rubric.className = "rubric";
      var items = document.createElement("ul");
      items.className = "mk-overview-items";
      group.appendChild(rubric);
      group.appendChild(items);
      list.appendChild(group);
      return { label: label || data.notGiven, rubric: rubric, items: items, count: 0 };
    });
    data.entries.forEach(function (entry) {  // [name, address, details, group, option numbers]
      var group = groups[entry[3]];
      var item = document.createElement("li");
      item.dataset.facets = entry[4];
      var line = document.createElement("p");
      var link = document.createElement("a");
      link.href = entry[1];
      link.textContent = entry[0];
      line.appendChild(link);
      if (entry[2]) line.appendChild(document.createTextNode(entry[2]));
      item.appendChild(line);
      group.items.appendChild(item);
      group.count += 1;
    });
    groups.forEach(function (group) { group.rubric.textContent = group.label + " (" + group.count + ")"; });
    return list;
  }

  function setup(form) {
    var page = document.querySelector(".mk-overview-list");
    if (!page) return;
    var source = form.dataset.source;
    var whole = null;
    var loading = false;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var sort = form.querySelector("select[data-sort]");
    var count = form.querySelector(".mk-facets-count");
    var params = new URLSearchParams(window.location.search);
    var known = new Map();

    function state(list) {
      if (!known.has(list)) {
        var items = itemsOf(list);
        known.set(list, {
          items: items,
          facets: new Map(items.map(function (item) {
            return [item, item.dataset.facets.split("|").map(function (numbers) { return numbers.split(","); })];
          })),
          names: new Map(items.map(function (item) { return [item, item.querySelector("a").textContent]; }))
        });
      }
      return known.get(list);
    }

    selects.concat([sort]).forEach(function (select) {
      var wanted = params.get(select.dataset.param);
      if (wanted !== null && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        select.value = wanted;
      }
    });

    function filtered() {
      return sort.value === "name" || selects.some(function (select) { return select.value; });
    }

    function load() {
      if (loading) return;
      loading = true;
      var script = document.createElement("script");
      script.src = source;
      script.onload = function () {
        whole = wholeList(window.missiekaartOverview);
        page.parentNode.insertBefore(whole, page.nextSibling);
        apply();
      };
      script.onerror = function () { loading = false; count.textContent = form.dataset.failed; };
      document.head.appendChild(script);
    }

    function apply() {
      if (source && filtered() && !whole) {
        load();
        return;
      }
      var list = source && !filtered() ? page : (whole || page);
      page.hidden = list !== page;
      if (whole) whole.hidden = list !== whole;
      var current = state(list);
      var shown = 0;
      current.items.forEach(function (item) {
        var visible = selects.every(function (select, control) {
          if (!select.value) return true;  // option 0 is "all"; option n + 1 is value number n
          return current.facets.get(item)[control].indexOf(String(select.selectedIndex - 1)) !== -1;
        });
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      if (list !== page || !source) {  // a paged page's groups stay: each links to its pages
        list.querySelectorAll(".mk-overview-group").forEach(function (group) {
          group.hidden = !group.querySelector("li[data-facets]:not([hidden])");
        });
      }
      var byName = sort.value === "name";
      list.classList.toggle("mk-sorted-by-name", byName);
      if (byName) {
        current.items.slice().sort(function (a, b) {
          return current.names.get(a).localeCompare(current.names.get(b), "nl");
        }).forEach(function (item, index) { item.style.order = String(index); });
      } else {
        current.items.forEach(function (item) { item.style.order = ""; });
      }
      var template = shown === 1 ? form.dataset.countOne : form.dataset.countMany;
      if (list === page && source) {  // each province's first organisations: say how many there are
        template = form.dataset.countPaged;
        shown = Number(count.dataset.total);
      }
      count.textContent = template.replace("%d", String(shown));
      var query = new URLSearchParams();
      selects.forEach(function (select) { if (select.value) query.set(select.dataset.param, select.value); });
      if (byName) query.set(sort.dataset.param, "name");
      var search = query.toString();
      history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    form.addEventListener("change", apply);
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.mk-facets").forEach(setup);
  });
})();
