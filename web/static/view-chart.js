// The editor's chart and timeline views (YASR plugins, drawn with d3 loaded on first use).
// Chart: a numeric column as bars (one per row, named by the row's label column) or as a
// line (over a date column, else in row order); Timeline: each row with a date as a mark on
// a time axis, in lanes so labels do not overlap. Every mark is a link to the row's entity
// page (or a focusable mark) with its values in words, reached with Tab.
(function () {
  "use strict";
  var V = window.diplographViews;
  if (!V) { return; }
  var MAX_BARS = 100;
  var MARGIN = { top: 10, right: 24, bottom: 34, left: 10 };

  function width(fig) { return Math.max(fig.canvas.clientWidth || 0, 360); }

  // A mark: an <a> to the row's page when it has one, else a focusable group; both named.
  function mark(parent, href, words) {
    var m = href ? parent.append("a").attr("href", href) : parent.append("g").attr("tabindex", 0).attr("role", "img");
    m.attr("aria-label", words).attr("class", "dg-mark");
    m.append("title").text(words);
    return m;
  }

  function svg(fig, w, h, words) {
    return d3.select(fig.canvas).append("svg").attr("viewBox", "0 0 " + w + " " + h)
      .attr("width", w).attr("height", h).attr("role", "group").attr("aria-label", words);
  }

  var TIME = function (d) { return d3.utcFormat("%-d %b %Y")(d); };

  // --- chart ------------------------------------------------------------------------------
  function Chart(yasr) { this.yasr = yasr; this.priority = 12; this.label = "Chart"; this.mode = null; }
  Chart.prototype.canHandleResults = function () {
    return V.hasRows(this.yasr) && V.ofKind(V.columns(this.yasr), "number").length > 0;
  };
  Chart.prototype.getIcon = function () { return V.svgIcon("M2 14V8M6 14V3M10 14V6M14 14V10"); };
  Chart.prototype.draw = function () {
    var self = this, cols = V.columns(this.yasr);
    var value = V.ofKind(cols, "number").filter(function (v) { return !/^(lat|latitude|long|lon|lng|longitude)$/i.test(v); })[0] || V.ofKind(cols, "number")[0];
    var x = V.ofKind(cols, "date")[0] || null;
    var mode = this.mode || (x ? "line" : "bar");
    var name = V.labelVar(cols, [value, x]);
    this.controls(mode);
    var fig = V.frame(this.yasr, "chart", "");
    return V.load("d3").then(function () {
      var rows = cols.rows.filter(function (r) { return r[value]; });
      if (mode === "bar") { bars(fig, rows, cols, value, name); } else { line(fig, rows, cols, value, x, name); }
    }).catch(function (e) { V.failed(fig, e); });
  };
  Chart.prototype.controls = function (mode) {
    var self = this, pick = document.createElement("select");
    pick.className = "dg-chart-mode";
    pick.setAttribute("aria-label", "Chart type");
    [["bar", "Bar chart"], ["line", "Line chart"]].forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0]; opt.textContent = o[1]; opt.selected = o[0] === mode;
      pick.appendChild(opt);
    });
    pick.addEventListener("change", function () { self.mode = pick.value; self.yasr.draw(); });
    this.destroy();
    this.yasr.pluginControls.appendChild(pick);
    this.pick = pick;
  };
  Chart.prototype.destroy = function () { if (this.pick) { this.pick.remove(); this.pick = null; } };

  function bars(fig, all, cols, value, name) {
    var rows = all.slice(0, MAX_BARS), w = width(fig), band = 22;
    var labels = rows.map(function (r, i) { return name ? V.label(r[name]) : "row " + (i + 1); });
    var left = Math.min(240, 16 + 7 * d3.max(labels, function (l) { return l.length; }));
    var h = MARGIN.top + MARGIN.bottom + band * rows.length;
    var nums = rows.map(function (r) { return +r[value].value; });
    var xs = d3.scaleLinear().domain([Math.min(0, d3.min(nums)), Math.max(0, d3.max(nums))]).nice()
      .range([left, w - MARGIN.right]);
    var ys = d3.scaleBand().domain(d3.range(rows.length)).range([MARGIN.top, h - MARGIN.bottom]).padding(0.2);
    fig.caption.textContent = "Bar chart of " + value + (name ? " by " + name : "") + ": " + rows.length +
      " bar" + (rows.length === 1 ? "" : "s") + (all.length > rows.length ? " (the first " + rows.length + " of " + all.length + " rows)" : "") +
      ", from " + d3.min(nums) + " to " + d3.max(nums) + ".";
    var root = svg(fig, w, h, fig.caption.textContent);
    root.append("g").attr("class", "dg-axis").attr("transform", "translate(0," + (h - MARGIN.bottom) + ")")
      .call(d3.axisBottom(xs).ticks(Math.max(2, Math.floor(w / 90))));
    var items = [];
    rows.forEach(function (r, i) {
      var words = labels[i] + ": " + r[value].value;
      var m = mark(root, V.rowHref(r, cols), words);
      m.append("rect").attr("class", "dg-bar").attr("x", xs(Math.min(0, nums[i]))).attr("y", ys(i))
        .attr("width", Math.max(1, Math.abs(xs(nums[i]) - xs(0)))).attr("height", ys.bandwidth());
      m.append("text").attr("class", "dg-bar-label").attr("x", left - 6).attr("y", ys(i) + ys.bandwidth() / 2)
        .attr("dy", "0.35em").attr("text-anchor", "end").text(labels[i].length > 32 ? labels[i].slice(0, 31) + "…" : labels[i]);
      items.push({ text: words, href: V.rowHref(r, cols) });
    });
    V.textList(fig, "The chart as text", items);
  }

  function line(fig, all, cols, value, x, name) {
    var w = width(fig), h = 320, left = 56;
    var rows = x ? all.filter(function (r) { return V.toDate(r[x]); }) : all.slice();
    if (x) { rows.sort(function (a, b) { return V.toDate(a[x]) - V.toDate(b[x]); }); }
    var xs = x ? d3.scaleUtc().domain(d3.extent(rows, function (r) { return V.toDate(r[x]); }))
      : d3.scalePoint().domain(d3.range(rows.length));
    xs.range([left, w - MARGIN.right]);
    if (x && xs.domain()[0].getTime() === xs.domain()[1].getTime()) {
      var d0 = xs.domain()[0];
      xs.domain([new Date(d0.getTime() - 864e5), new Date(d0.getTime() + 864e5)]);
    }
    var nums = rows.map(function (r) { return +r[value].value; });
    var ys = d3.scaleLinear().domain([Math.min(0, d3.min(nums)), d3.max(nums)]).nice().range([h - MARGIN.bottom, MARGIN.top]);
    var px = function (r, i) { return x ? xs(V.toDate(r[x])) : xs(i); };
    fig.caption.textContent = "Line chart of " + value + (x ? " over " + x : " in row order") + ": " + rows.length +
      " point" + (rows.length === 1 ? "" : "s") + ", from " + d3.min(nums) + " to " + d3.max(nums) + ".";
    var root = svg(fig, w, h, fig.caption.textContent);
    root.append("g").attr("class", "dg-axis").attr("transform", "translate(0," + (h - MARGIN.bottom) + ")")
      .call(x ? d3.axisBottom(xs).ticks(Math.max(2, Math.floor(w / 110))) : d3.axisBottom(xs).tickValues([]));
    root.append("g").attr("class", "dg-axis").attr("transform", "translate(" + left + ",0)").call(d3.axisLeft(ys).ticks(6));
    var d = rows.map(function (r, i) { return (i ? "L" : "M") + px(r, i) + "," + ys(nums[i]); }).join("");
    root.append("path").attr("class", "dg-line").attr("d", d);
    var items = [];
    rows.forEach(function (r, i) {
      var what = (name ? V.label(r[name]) + ", " : "") + (x ? TIME(V.toDate(r[x])) + ": " : "") + r[value].value;
      var m = mark(root, V.rowHref(r, cols), what);
      m.append("circle").attr("class", "dg-point").attr("cx", px(r, i)).attr("cy", ys(nums[i])).attr("r", 4);
      items.push({ text: what, href: V.rowHref(r, cols) });
    });
    V.textList(fig, "The chart as text", items);
  }

  // --- timeline ---------------------------------------------------------------------------
  function Timeline(yasr) { this.yasr = yasr; this.priority = 13; this.label = "Timeline"; }
  Timeline.prototype.canHandleResults = function () {
    return V.hasRows(this.yasr) && V.ofKind(V.columns(this.yasr), "date").length > 0;
  };
  Timeline.prototype.getIcon = function () { return V.svgIcon("M1 12H15M4 12V6M8 12V3M12 12V8"); };
  Timeline.prototype.draw = function () {
    var cols = V.columns(this.yasr), when = V.ofKind(cols, "date")[0];
    var name = V.labelVar(cols, [when]);
    var fig = V.frame(this.yasr, "timeline", "");
    return V.load("d3").then(function () { timeline(fig, cols, when, name); })
      .catch(function (e) { V.failed(fig, e); });
  };

  function timeline(fig, cols, when, name) {
    var rows = cols.rows.filter(function (r) { return V.toDate(r[when]); });
    rows.sort(function (a, b) { return V.toDate(a[when]) - V.toDate(b[when]); });
    var w = width(fig), lane = 24, left = 16;
    var xs = d3.scaleUtc().domain(d3.extent(rows, function (r) { return V.toDate(r[when]); })).range([left, w - 180]).nice();
    var lanes = [], placed = rows.map(function (r) {
      var x = xs(V.toDate(r[when])), text = name ? V.label(r[name]) : V.label(r[when]);
      var shown = text.length > 28 ? text.slice(0, 27) + "…" : text;
      var end = x + 10 + shown.length * 6.6, i = 0;
      while (i < lanes.length && lanes[i] > x - 4) { i++; }
      lanes[i] = end;
      return { row: r, x: x, lane: i, text: text, shown: shown };
    });
    var h = MARGIN.top + MARGIN.bottom + lane * Math.max(1, lanes.length);
    var first = rows[0], last = rows[rows.length - 1];
    fig.caption.textContent = "Timeline of " + rows.length + " row" + (rows.length === 1 ? "" : "s") + " by " + when +
      ", from " + TIME(V.toDate(first[when])) + " to " + TIME(V.toDate(last[when])) + ".";
    var root = svg(fig, w, h, fig.caption.textContent);
    root.append("g").attr("class", "dg-axis").attr("transform", "translate(0," + (h - MARGIN.bottom) + ")")
      .call(d3.axisBottom(xs).ticks(Math.max(2, Math.floor(w / 110))));
    var items = [];
    placed.forEach(function (p) {
      var words = p.text + ", " + TIME(V.toDate(p.row[when]));
      var y = MARGIN.top + p.lane * lane + lane / 2;
      var m = mark(root, V.rowHref(p.row, cols), words);
      m.append("circle").attr("class", "dg-tl-mark").attr("cx", p.x).attr("cy", y).attr("r", 5);
      m.append("text").attr("class", "dg-tl-label").attr("x", p.x + 9).attr("y", y).attr("dy", "0.35em").text(p.shown);
      items.push({ text: words, href: V.rowHref(p.row, cols) });
    });
    V.textList(fig, "The timeline as text", items);
  }

  V.register("chart", Chart);
  V.register("timeline", Timeline);
}());
