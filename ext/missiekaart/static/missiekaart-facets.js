// The organisation overview's filters (missiekaart/facets.py renders the controls, hidden until
// this script runs). The filter state lives in the URL (?regio=...&begrip=...), so a filtered
// view can be shared; the number of organisations shown is announced (aria-live). Each item's
// data-facets holds, per control in order, the numbers of its options ("2|0|5|1,4,7").
(function () {
  "use strict";

  function setup(form) {
    var list = document.querySelector(".mk-overview-list");
    if (!list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-facets]"));
    var facetsOf = new Map(items.map(function (item) {
      return [item, item.dataset.facets.split("|").map(function (numbers) { return numbers.split(","); })];
    }));
    var nameOf = new Map(items.map(function (item) { return [item, item.querySelector("a").textContent]; }));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var sort = form.querySelector("select[data-sort]");
    var count = form.querySelector(".mk-facets-count");
    var params = new URLSearchParams(window.location.search);

    selects.concat([sort]).forEach(function (select) {
      var wanted = params.get(select.dataset.param);
      if (wanted !== null && select.querySelector('option[value="' + CSS.escape(wanted) + '"]')) {
        select.value = wanted;
      }
    });

    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var visible = selects.every(function (select, control) {
          if (!select.value) return true;  // option 0 is "all"; option n + 1 is value number n
          return facetsOf.get(item)[control].indexOf(String(select.selectedIndex - 1)) !== -1;
        });
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      list.querySelectorAll(".mk-overview-group").forEach(function (group) {
        group.hidden = !group.querySelector("li[data-facets]:not([hidden])");
      });
      var byName = sort.value === "name";
      list.classList.toggle("mk-sorted-by-name", byName);
      if (byName) {
        items.slice().sort(function (a, b) {
          return nameOf.get(a).localeCompare(nameOf.get(b), "nl");
        }).forEach(function (item, index) { item.style.order = String(index); });
      } else {
        items.forEach(function (item) { item.style.order = ""; });
      }
      var template = shown === 1 ? form.dataset.countOne : form.dataset.countMany;
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
