// Sortable tables, a progressive enhancement: without JavaScript the table keeps its
// meaningful build-time order. Header cells marked data-sort become buttons; aria-sort
// tells assistive technology the current order. Under the phone breakpoint the header row is
// hidden (each row is a card), so a 排序 select above the table offers the same orders.
(function () {
  "use strict";
  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell.getAttribute("data-value") || cell.textContent.trim();
    return numeric ? parseFloat(raw) : raw;
  }
  function sortBy(table, index, numeric, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var order = numeric ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function restore(table, original) {
    original.forEach(function (row) { table.tBodies[0].appendChild(row); });
  }
  function phoneSelect(table, headers, original, apply) {
    var wrap = document.createElement("p");
    wrap.className = "sort-select";
    var id = "sort-" + Math.random().toString(36).slice(2, 8);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "排序";
    var select = document.createElement("select");
    select.id = id;
    select.add(new Option("默认顺序", ""));
    Array.prototype.forEach.call(headers, function (th, index) {
      var name = th.textContent.trim();
      var numeric = th.getAttribute("data-sort") === "number";
      select.add(new Option(name + (numeric ? " 从高到低" : " 降序"), index + ":d"));
      select.add(new Option(name + (numeric ? " 从低到高" : " 升序"), index + ":a"));
    });
    select.addEventListener("change", function () {
      if (!select.value) {
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        restore(table, original);
        return;
      }
      var parts = select.value.split(":");
      apply(parseInt(parts[0], 10), parts[1] === "d");
    });
    wrap.appendChild(label);
    wrap.appendChild(document.createTextNode(" "));
    wrap.appendChild(select);
    var anchor = table.parentElement.classList.contains("scroll") ? table.parentElement : table;
    anchor.parentElement.insertBefore(wrap, anchor);
    return select;
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = table.tHead.rows[0].cells;
    var original = Array.prototype.slice.call(table.tBodies[0].rows);
    var select;
    function apply(index, descending) {
      var th = headers[index];
      Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      sortBy(table, index, th.getAttribute("data-sort") === "number", descending);
      if (select) { select.value = index + (descending ? ":d" : ":a"); }
    }
    select = phoneSelect(table, headers, original, apply);
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        apply(index, th.getAttribute("aria-sort") !== "descending");
      });
    });
  });
})();
