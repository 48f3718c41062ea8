// Small SVG charts for the dashboard, drawn with DOM calls: every label is set with textContent,
// never parsed as markup.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var CHAR_WIDTH = 6.5; // px per character of the 11px labels, roughly
  var SLANTED_CHARS = 14; // what the bottom margin holds at 40 degrees
  var PALETTE = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#b7791f", "#4a5568"];

  function svg(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function clear(container) {
    while (container.firstChild) container.removeChild(container.firstChild);
  }

  function format(x) {
    return Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2);
  }

  // Instead of bare axes: a line of text saying there is nothing to draw.
  function empty(container, message) {
    var note = document.createElement("p");
    note.className = "empty";
    note.textContent = message;
    container.appendChild(note);
  }

  // A label cut to at most `chars` characters; the whole text is its tooltip.
  function label(attrs, text, chars) {
    var node = svg("text", attrs, text.length > chars ? text.slice(0, Math.max(1, chars - 1)) + "…" : text);
    node.appendChild(svg("title", {}, text));
    return node;
  }

  function axis(root, x0, y0, width, height, max) {
    root.appendChild(svg("line", { x1: x0, y1: y0 + height, x2: x0 + width, y2: y0 + height, stroke: "#9aa3ad" }));
    for (var i = 0; i <= 4; i++) {
      var y = y0 + height - (height * i) / 4;
      root.appendChild(svg("line", { x1: x0, y1: y, x2: x0 + width, y2: y, stroke: "#eef0f3" }));
      root.appendChild(svg("text", { x: x0 - 6, y: y + 4, "text-anchor": "end" }, format((max * i) / 4)));
    }
  }

  // Grouped bars: one group per category, one bar per series (model). Category labels never overlap:
  // level and cut to the group's width when they fit, else slanted and cut to what the margin holds.
  function groupedBars(container, categories, series) {
    clear(container);
    if (categories.length === 0) {
      empty(container, "No conversions for these options.");
      return;
    }
    var width = 900, height = 320, left = 56, top = 16, bottom = 70, plotH = height - top - bottom, plotW = width - left - 10;
    var max = 0;
    series.forEach(function (s) { s.values.forEach(function (v) { max = Math.max(max, v); }); });
    max = max || 1;
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": "credit per " + (container.dataset.dimension || "channel") + " per model" });
    axis(root, left, top, plotW, plotH, max);
    var group = plotW / Math.max(categories.length, 1);
    var bar = Math.max(2, (group * 0.8) / Math.max(series.length, 1));
    categories.forEach(function (category, c) {
      var gx = left + c * group + group * 0.1;
      series.forEach(function (s, m) {
        var v = s.values[c] || 0;
        var h = (plotH * v) / max;
        var rect = svg("rect", { x: gx + m * bar, y: top + plotH - h, width: bar - 1, height: h, fill: PALETTE[m % PALETTE.length], "data-key": category, "data-model": s.name, "data-value": v });
        rect.appendChild(svg("title", {}, category + " · " + s.name + ": " + format(v)));
        root.appendChild(rect);
      });
      var cx = gx + (group * 0.8) / 2;
      var level = Math.floor(group / CHAR_WIDTH);
      if (level >= Math.min(category.length, 12)) {
        root.appendChild(label({ x: cx, y: top + plotH + 14, "text-anchor": "middle", class: "category" }, category, level));
      } else {
        root.appendChild(label({ x: cx, y: top + plotH + 10, "text-anchor": "end", class: "category", transform: "rotate(-40 " + cx + " " + (top + plotH + 10) + ")" }, category, SLANTED_CHARS));
      }
    });
    container.appendChild(root);
    var legend = document.createElement("div");
    legend.className = "legend";
    series.forEach(function (s, m) {
      var item = document.createElement("span");
      item.style.setProperty("--swatch", PALETTE[m % PALETTE.length]);
      item.textContent = s.name;
      legend.appendChild(item);
    });
    container.appendChild(legend);
  }

  // A histogram: one bar per bucket.
  function histogram(container, buckets) {
    clear(container);
    if (!buckets.some(function (b) { return b.value > 0; })) {
      empty(container, "No conversions for these options.");
      return;
    }
    var width = 440, height = 220, left = 48, top = 12, bottom = 28, plotH = height - top - bottom, plotW = width - left - 8;
    var max = Math.max.apply(null, buckets.map(function (b) { return b.value; }).concat([0])) || 1;
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    axis(root, left, top, plotW, plotH, max);
    var w = plotW / Math.max(buckets.length, 1);
    buckets.forEach(function (b, i) {
      var h = (plotH * b.value) / max;
      var rect = svg("rect", { x: left + i * w + 2, y: top + plotH - h, width: Math.max(1, w - 4), height: h, fill: PALETTE[0], "data-bucket": b.label, "data-value": b.value });
      rect.appendChild(svg("title", {}, b.label + ": " + format(b.value)));
      root.appendChild(rect);
      root.appendChild(svg("text", { x: left + i * w + w / 2, y: top + plotH + 14, "text-anchor": "middle" }, b.label));
    });
    container.appendChild(root);
  }

  window.OACharts = { groupedBars: groupedBars, histogram: histogram };
})();
