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
