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
      container.querySelectorAll("tbody tr[data-regions]").forEach(function (row) {
        var regions = row.dataset.regions.split(" ");
        row.hidden = select.value !== "" && regions.indexOf(select.value) === -1;
      });
    });
  });
});
