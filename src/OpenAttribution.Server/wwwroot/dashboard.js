// The dashboard: reads the reports API with a workspace's read key and draws tables and charts.
// Campaign names, paths and every other value from the data are written with textContent (never
// innerHTML), so a campaign called "<img src=x onerror=alert(1)>" shows as that text.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var KEY = "oa_read_key";
  var last = null;

  function cell(tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text === null || text === undefined ? "" : String(text);
    if (className) node.className = className;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function number(x) {
    return x === null || x === undefined ? "–" : Number(x).toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  }

  function row(table, cells, className) {
    var tr = document.createElement("tr");
    if (className) tr.className = className;
    cells.forEach(function (c) { tr.appendChild(c instanceof Node ? c : cell("td", c)); });
    table.appendChild(tr);
    return tr;
  }

  function header(table, names) {
    var tr = document.createElement("tr");
    names.forEach(function (n) { tr.appendChild(cell("th", n)); });
    table.appendChild(tr);
  }

  function api(path, params) {
    var query = new URLSearchParams();
    Object.keys(params || {}).forEach(function (k) {
      if (params[k] !== "" && params[k] !== null && params[k] !== undefined) query.set(k, params[k]);
    });
    var qs = query.toString();
    return fetch(path + (qs ? "?" + qs : ""), { headers: { Authorization: "Bearer " + $("key").value.trim() } })
      .then(function (response) {
        if (response.ok) return response.json();
        return response.json().catch(function () { return null; }).then(function (problem) {
          throw new Error((problem && (problem.detail || problem.title)) || "HTTP " + response.status);
        });
      });
  }

  function selectedModels() {
    return Array.prototype.map.call(document.querySelectorAll("#models input:checked"), function (i) { return i.value; });
  }

  var PAGE = 20;
  var NAME_CHARS = 60;
  var view = { rows: [], models: [], by: "channel", page: 0, filter: "" };

  // Pivots compare rows into one row per dimension value with a number per model. A Map, not an
  // object, so that any name ("__proto__", "constructor") is just a key.
  function pivot(compare, measure) {
    var index = new Map();
    compare.models.forEach(function (m, i) { index.set(m, i); });
    var byKey = new Map();
    compare.rows.forEach(function (r) {
      var values = byKey.get(r.key);
      if (!values) {
        values = compare.models.map(function () { return 0; });
        byKey.set(r.key, values);
      }
      values[index.get(r.model)] = r[measure] || 0;
    });
    var rows = [];
    byKey.forEach(function (values, key) { rows.push({ key: key, values: values }); });
    rows.sort(function (a, b) { return b.values[0] - a.values[0] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0); });
    return rows;
  }

  function sum(rows, count) {
    var totals = [];
    for (var m = 0; m < count; m++) totals.push(0);
    rows.forEach(function (r) { r.values.forEach(function (v, m) { totals[m] += v; }); });
    return totals;
  }

  // A name cell: long names are cut, the whole name is the tooltip.
  function nameCell(name) {
    var td = cell("td", name.length > NAME_CHARS ? name.slice(0, NAME_CHARS - 1) + "…" : name);
    td.title = name;
    return td;
  }

  function valueCells(values) {
    return values.map(function (v, m) {
      var td = cell("td", number(v));
      if (m > 0 && values[0] !== 0) {
        var change = ((v - values[0]) / values[0]) * 100;
        td.appendChild(cell("span", (change >= 0 ? "+" : "") + change.toFixed(1) + "%", "change"));
      }
      return td;
    });
  }

  function matching() {
    var filter = view.filter.toLowerCase();
    return filter ? view.rows.filter(function (r) { return r.key.toLowerCase().indexOf(filter) >= 0; }) : view.rows;
  }

  // The table shows one page of the rows (the largest first, or those matching the search), then one
  // "other" row for every key not shown and the total, so the rows always add up to the total.
  function renderComparison() {
    var table = $("comparison");
    clear(table);
    header(table, [view.by].concat(view.models));
    var found = matching();
    var pages = Math.max(1, Math.ceil(found.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    var shown = found.slice(view.page * PAGE, (view.page + 1) * PAGE);
    if (view.rows.length === 0) {
      var empty = cell("td", "No conversions for these options.");
      empty.colSpan = view.models.length + 1;
      row(table, [empty], "empty");
    }
    shown.forEach(function (r) {
      row(table, [nameCell(r.key)].concat(valueCells(r.values))).dataset.key = r.key;
    });
    var shownKeys = new Set(shown.map(function (r) { return r.key; }));
    var rest = view.rows.filter(function (r) { return !shownKeys.has(r.key); });
    if (rest.length > 0) {
      row(table, [cell("td", "other (" + rest.length.toLocaleString("en-US") + " " + (rest.length === 1 ? "key" : "keys") + ")")]
        .concat(sum(rest, view.models.length).map(function (t) { return cell("td", number(t)); })), "other");
    }
    row(table, [cell("td", "total")].concat(sum(view.rows, view.models.length).map(function (t) { return cell("td", number(t)); })), "total");
    $("pager-text").textContent = found.length === 0 ? (view.filter ? "no key matches" : "")
      : (view.page * PAGE + 1).toLocaleString("en-US") + "–" + (view.page * PAGE + shown.length).toLocaleString("en-US") +
        " of " + found.length.toLocaleString("en-US") + (view.filter ? " matching" : "");
    $("prev").disabled = view.page === 0;
    $("next").disabled = view.page >= pages - 1;
    $("pager").hidden = view.rows.length <= PAGE && !view.filter;

    // The chart: the rows of the table's page and one bar group for all the others.
    var categories = shown.map(function (r) { return r.key; });
    var values = shown.map(function (r) { return r.values; });
    if (rest.length > 0 && shown.length > 0) {
      categories.push("other (" + rest.length.toLocaleString("en-US") + ")");
      values.push(sum(rest, view.models.length));
    }
    $("credit-chart").dataset.dimension = view.by;
    window.OACharts.groupedBars($("credit-chart"), categories,
      view.models.map(function (m, i) { return { name: m, values: values.map(function (v) { return v[i]; }) }; }));
  }

  function renderPaths(paths) {
    var table = $("paths");
    clear(table);
    header(table, ["path", "touches", "conversions", "share", "value"]);
    paths.paths.forEach(function (p) {
      var share = paths.total.conversions ? (p.conversions / paths.total.conversions) * 100 : 0;
      row(table, [cell("td", p.path), cell("td", p.length), cell("td", number(p.conversions)), cell("td", share.toFixed(1) + "%"), cell("td", number(p.value))]);
    });
  }

  // ROI for the first model, or why not (costs in several currencies): only this section says so,
  // the rest of the dashboard is drawn as usual.
  function renderRoi(report) {
    var section = $("roi-section");
    var table = $("roi");
    clear(table);
    $("roi-error").textContent = "";
    if (report && report.error) {
      section.hidden = false;
      $("roi-model").textContent = "";
      $("roi-currency").textContent = "";
      $("roi-error").textContent = report.error;
      return;
    }
    var withCost = report ? report.rows.filter(function (r) { return r.cost > 0; }) : [];
    section.hidden = withCost.length === 0;
    if (section.hidden) return;
    $("roi-model").textContent = report.model;
    $("roi-currency").textContent = report.currency ? ", cost in " + report.currency : "";
    header(table, [report.by, "conversions", "value", "cost", "ROAS", "CPA"]);
    report.rows.forEach(function (r) {
      row(table, [cell("td", r.key), cell("td", number(r.conversions)), cell("td", number(r.value)), cell("td", number(r.cost)),
        cell("td", r.roas === undefined ? "–" : Number(r.roas).toFixed(2)), cell("td", number(r.cpa))]);
    });
  }

  function buckets(rows) {
    return rows.map(function (b) { return { label: b.bucket, value: b.conversions }; });
  }

  function load(event) {
    if (event) event.preventDefault();
    var models = selectedModels();
    if (models.length === 0) {
      $("status").textContent = "Pick at least one model.";
      return;
    }
    sessionStorage.setItem(KEY, $("key").value.trim());
    var by = $("by").value;
    var measure = $("measure").value;
    var common = { by: by, lookback: $("lookback").value, conversion: $("conversion").value.trim(), from: $("from").value, to: $("to").value };
    $("status").textContent = "Loading…";
    var roiWanted = by === "channel" || by === "campaign";
    Promise.all([
      api("/v1/workspace"),
      api("/v1/reports/compare", Object.assign({ models: models.join(",") }, common)),
      api("/v1/reports/paths", Object.assign({ top: 10 }, common)),
      roiWanted
        ? api("/v1/reports/attribution", Object.assign({ model: models[0], roi: "true", currency: $("currency").value.trim().toUpperCase() }, common))
          .catch(function (error) { return { error: error.message }; })
        : Promise.resolve(null)
    ]).then(function (results) {
      $("workspace").textContent = "workspace: " + results[0].workspace;
      $("workspace").title = results[0].events + " events stored";
      var compare = results[1];
      view = { rows: pivot(compare, measure), models: compare.models, by: by, page: 0, filter: $("search").value.trim() };
      renderComparison();
      renderPaths(results[2]);
      window.OACharts.histogram($("time-lags"), buckets(results[2].time_lags));
      window.OACharts.histogram($("path-lengths"), buckets(results[2].path_lengths));
      renderRoi(results[3]);
      last = { compare: compare, measure: measure };
      $("report").hidden = false;
      $("status").textContent = "";
      document.body.dataset.loaded = String(Date.now());
    }).catch(function (error) {
      $("status").textContent = error.message;
    });
  }

  // A CSV cell; text that a spreadsheet would run as a formula (= + - @ tab CR first) gets a ' first.
  function csvCell(value) {
    var text = String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCsv() {
    if (!last) return "";
    var lines = [["model", last.compare.by, "conversions", "value"].map(csvCell).join(",")];
    last.compare.rows.forEach(function (r) {
      lines.push([r.model, r.key, r.conversions, r.value].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function exportCsv() {
    var blob = new Blob([toCsv()], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "model-comparison.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  $("controls").addEventListener("submit", load);
  $("search").addEventListener("input", function () {
    view.filter = $("search").value.trim();
    view.page = 0;
    renderComparison();
  });
  $("prev").addEventListener("click", function () { view.page = Math.max(0, view.page - 1); renderComparison(); });
  $("next").addEventListener("click", function () { view.page += 1; renderComparison(); });
  $("export").addEventListener("click", exportCsv);
  $("measure").addEventListener("change", function () { if (last) load(); });
  var saved = sessionStorage.getItem(KEY);
  if (saved) {
    $("key").value = saved;
    load();
  }
  window.OADashboard = { csv: toCsv, csvCell: csvCell };
})();
