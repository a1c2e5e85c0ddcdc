// Make generated tables that list things (not questions) sortable, by mouse or keyboard.
// Material's document$ fires on every page load.
document$.subscribe(function () {
  document.querySelectorAll("article table[data-sortable]").forEach(function (table) {
    if (!table.dataset.sortReady) {
      new Tablesort(table);
      table.dataset.sortReady = "true";
    }
  });
});

// The condition matrix's body-region filter: show only rows whose data-regions include the choice.
document$.subscribe(function () {
  document.querySelectorAll("select[data-filters-table]").forEach(function (select) {
    var container = document.getElementById(select.dataset.filtersTable);
    if (!container || select.dataset.filterReady) return;
    select.dataset.filterReady = "true";
    select.closest(".region-filter").hidden = false;
    select.addEventListener("change", function () {
      container.querySelectorAll("[data-regions]").forEach(function (row) {
        var regions = row.dataset.regions.split(" ");
        row.hidden = select.value !== "" && regions.indexOf(select.value) === -1;
      });
    });
  });
});

// Printing: open every collapsible block ("For clinicians", text descriptions) so nothing is left out.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("article details:not([open])").forEach(function (details) {
    details.setAttribute("open", "");
    details.dataset.openedForPrint = "true";
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("article details[data-opened-for-print]").forEach(function (details) {
    details.removeAttribute("open");
    delete details.dataset.openedForPrint;
  });
});

// "Your own comparison": build a table of the chosen procedures from the all-procedures table.
document$.subscribe(function () {
  var picker = document.querySelector(".comparison-picker");
  var source = document.querySelector("#all-procedures table");
  if (!picker || !source || picker.dataset.ready) return;
  picker.dataset.ready = "true";
  var boxes = Array.prototype.slice.call(picker.querySelectorAll("input[name=compare]"));
  var condition = picker.querySelector("#compare-condition");
  boxes.forEach(function (box) { box.disabled = false; });
  condition.disabled = false;
  // The note for readers without JavaScript becomes a hint of about the same length, so nothing moves.
  picker.querySelector(".comparison-picker__hint").textContent =
    "Choose a condition, or tick two to four procedures, to see them side by side below.";
  var status = picker.querySelector(".comparison-picker__status");
  var result = picker.querySelector(".comparison-picker__result");
  var MAX = 4;

  function render() {
    var chosen = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    boxes.forEach(function (box) { box.disabled = !box.checked && chosen.length >= MAX; });
    result.textContent = "";
    if (chosen.length < 2) {
      status.textContent = chosen.length ? "Choose at least one more procedure." : "";
      return;
    }
    var headers = Array.prototype.slice.call(source.tHead.rows[0].cells);
    var keep = headers.map(function (cell, index) {
      return index < 2 || chosen.indexOf(cell.dataset.option) !== -1;
    });
    var table = source.cloneNode(true);
    table.removeAttribute("data-sort-ready");
    table.caption.textContent = "Your comparison: " + chosen.length + " procedures and conservative care";
    Array.prototype.slice.call(table.rows).forEach(function (row) {
      for (var i = row.cells.length - 1; i >= 0; i--) {
        if (!keep[i]) row.deleteCell(i);
      }
    });
    // Like every wide table, it scrolls in a labelled region the keyboard can reach.
    var region = document.createElement("div");
    region.className = "table-scroll";
    region.setAttribute("role", "region");
    region.setAttribute("tabindex", "0");
    region.setAttribute("aria-label", table.caption.textContent);
    region.appendChild(table);
    result.appendChild(region);
    status.textContent = "Showing " + chosen.length + " procedures side by side with conservative care.";
  }

  boxes.forEach(function (box) { box.addEventListener("change", render); });
  condition.addEventListener("change", function () {
    var option = condition.options[condition.selectedIndex];
    var listed = (option.dataset.procedures || "").split(" ").filter(Boolean);
    var wanted = listed.slice(0, MAX);
    boxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) !== -1; });
    render();
    if (listed.length === 1) {
      status.textContent = "Only one procedure is listed for this condition; choose another to compare.";
    } else if (listed.length > MAX) {
      status.textContent = listed.length + " procedures are listed for this condition; showing the first " + MAX +
        ". Change the ticks to compare others.";
    }
  });
});

// Glossary terms: the definition opens beside the term on a tap, a click or Enter, and closes
// again the same way or with Escape. Without JavaScript the term keeps its title (a tooltip).
// Headings carry no glossary markup (overrides/reader_hooks.py), nor do links or the glossary itself.
document$.subscribe(function () {
  var count = 0;
  document.querySelectorAll("article abbr[title]").forEach(function (abbr) {
    if (abbr.closest("a, button, summary, thead, caption, .glossary")) return;
    var id = "glossary-definition-" + (++count);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "glossary-term";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    button.textContent = abbr.textContent;
    var definition = document.createElement("span");
    definition.className = "glossary-definition";
    definition.id = id;
    definition.hidden = true;
    definition.textContent = abbr.title;
    function show(open) {
      definition.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
    }
    button.addEventListener("click", function () { show(definition.hidden); });
    button.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !definition.hidden) {
        show(false);
        event.stopPropagation();
      }
    });
    var term = document.createElement("span");
    term.className = "glossary-entry";
    term.appendChild(button);
    term.appendChild(definition);
    abbr.replaceWith(term);
  });
});
