// Unit pickers (organisations/forms.py): every <select data-unit-picker> becomes a searchable list grouped by
// parent, and every <select data-unit-search="URL"> a search of the units the user may see, answered by the server;
// any other long list marked <select data-picker> (procedures, processes) is searched the same way. All ignore
// diacritics (Tom Select folds "đ" to "d" as the server's fold_vn does). Without JavaScript they stay plain selects
// that work.
(function () {
  "use strict";
  const NONE = '<div class="no-results">Không tìm thấy đơn vị</div>';

  function picker(select, none) {
    new TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      maxOptions: null,
      searchField: ["text", "optgroup"],
      hidePlaceholder: true,
      // Filter at each keystroke: the options are in the page, and with Tom Select's default 300 ms pause a unit
      // clicked before the pause ends is chosen, then the late refresh reopens the list and takes the focus from
      // the next field, so what is typed there is lost.
      refreshThrottle: 0,
      render: { no_results: () => none || NONE },
    });
  }

  function search(select) {
    const url = select.dataset.unitSearch;
    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text", "value", "parent"],
      allowEmptyOption: true,
      shouldLoad: (query) => query.length > 0,
      // The chosen item ("Tất cả") stays in the control while a search is typed after it ("Tất cả so tai"): hidden
      // while there is a query (tinhgon.css), shown again when the query is cleared or an item chosen.
      onType(query) {
        this.wrapper.classList.toggle("has-query", query.length > 0);
      },
      onItemAdd() {
        this.wrapper.classList.remove("has-query");
      },
      onBlur() {
        this.wrapper.classList.remove("has-query");
      },
      load(query, callback) {
        fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then((response) => response.json())
          .then((data) => callback(data.results))
          .catch(() => callback());
      },
      render: { no_results: () => NONE, loading: () => '<div class="spinner-border spinner-border-sm m-2"></div>' },
    });
  }

  // A picker among many over one long list (core.forms.SharedOptionsSelect): the page holds the list once as JSON,
  // each picker only its chosen units.
  function shared(select, lists) {
    const id = select.dataset.sharedOptions;
    if (!(id in lists)) lists[id] = JSON.parse(document.getElementById(id).textContent);
    new TomSelect(select, {
      plugins: select.multiple ? ["remove_button"] : [],
      options: lists[id].map(([value, text]) => ({ value, text })),
      maxOptions: 200,
      hidePlaceholder: true,
      refreshThrottle: 0,
      render: { no_results: () => NONE },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const lists = {};
    if (typeof TomSelect !== "undefined") {
      document.querySelectorAll("select[data-shared-options]").forEach((select) => shared(select, lists));
    }
    if (typeof TomSelect === "undefined") return;
    document.querySelectorAll("select[data-unit-picker]").forEach((select) => picker(select));
    document.querySelectorAll("select[data-picker]").forEach((select) => picker(select, '<div class="no-results">Không tìm thấy</div>'));
    document.querySelectorAll("select[data-unit-search]").forEach(search);
  });
})();
