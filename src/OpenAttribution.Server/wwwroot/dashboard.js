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

  // Pivots compare rows into one row per dimension value with a number per model.
  function pivot(compare, measure) {
    var keys = [];
    var byKey = {};
    compare.rows.forEach(function (r) {
      if (!Object.prototype.hasOwnProperty.call(byKey, r.key)) {
        byKey[r.key] = {};
        keys.push(r.key);
      }
      byKey[r.key][r.model] = r[measure];
    });
    var first = compare.models[0];
    keys.sort(function (a, b) { return (byKey[b][first] || 0) - (byKey[a][first] || 0) || (a < b ? -1 : a > b ? 1 : 0); });
    return keys.map(function (k) {
      return { key: k, values: compare.models.map(function (m) { return byKey[k][m] || 0; }) };
    });
  }

  function renderComparison(compare, measure) {
    var table = $("comparison");
    clear(table);
    header(table, [compare.by].concat(compare.models));
    var rows = pivot(compare, measure);
    var totals = compare.models.map(function () { return 0; });
    rows.forEach(function (r) {
      var cells = [cell("td", r.key)];
      r.values.forEach(function (v, m) {
        totals[m] += v;
        var td = cell("td", number(v));
        if (m > 0 && r.values[0] !== 0) {
          var change = ((v - r.values[0]) / r.values[0]) * 100;
          td.appendChild(cell("span", (change >= 0 ? "+" : "") + change.toFixed(1) + "%", "change"));
        }
        cells.push(td);
      });
      row(table, cells).dataset.key = r.key;
    });
    row(table, [cell("td", "total")].concat(totals.map(function (t) { return cell("td", number(t)); })), "total");
    return rows;
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

  function renderRoi(report) {
    var section = $("roi-section");
    var withCost = report ? report.rows.filter(function (r) { return r.cost > 0; }) : [];
    section.hidden = withCost.length === 0;
    if (section.hidden) return;
    $("roi-model").textContent = report.model;
    var table = $("roi");
    clear(table);
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
      roiWanted ? api("/v1/reports/attribution", Object.assign({ model: models[0], roi: "true" }, common)) : Promise.resolve(null)
    ]).then(function (results) {
      $("workspace").textContent = "workspace: " + results[0].workspace;
      $("workspace").title = results[0].events + " events stored";
      var compare = results[1];
      var rows = renderComparison(compare, measure);
      $("credit-chart").dataset.dimension = by;
      window.OACharts.groupedBars($("credit-chart"), rows.map(function (r) { return r.key; }),
        compare.models.map(function (m, i) { return { name: m, values: rows.map(function (r) { return r.values[i]; }) }; }));
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
  $("export").addEventListener("click", exportCsv);
  $("measure").addEventListener("change", function () { if (last) load(); });
  var saved = sessionStorage.getItem(KEY);
  if (saved) {
    $("key").value = saved;
    load();
  }
  window.OADashboard = { csv: toCsv, csvCell: csvCell };
})();
