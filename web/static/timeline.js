// The timeline: the events of #timeline-data on one zoomable, pannable time axis, one lane
// per kind or per actor. Each event spans its earliest to its latest possible day, so a
// month is a month-wide bar and a day a point; statuses differ by fill pattern, outline and
// a glyph, not by colour alone. Every event is a link, reached with Tab.
(function () {
  "use strict";
  var holder = document.getElementById("timeline-canvas");
  if (!holder || typeof d3 === "undefined") { return; }
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var GLYPH = { held: "●", upcoming: "○", postponed: "◔", cancelled: "✕" };
  var LANE_W = 170, ROW_H = 24, AXIS_H = 28, CHAR_W = 6.4, MIN_W = 6;
  var day = function (s) { return new Date(s + "T00:00:00Z"); };
  var width = Math.max(holder.clientWidth, 480);
  var plotW = width - LANE_W - 10;
  var x0 = d3.scaleUtc().domain(data.window.map(day)).range([0, plotW]);
  var x = x0;

  function lanesOf(item) {
    if (data.lanes === "actor") {
      return item.actors.length ? item.actors.map(function (a) { return a.label; }) : ["No actor named"];
    }
    return [item.kinds[0] || "Event"];
  }

  // One entry per (lane, item); items overlapping in a lane (label included) stack in rows.
  var lanes = [], byLane = {};
  data.items.filter(function (i) { return i.start; }).forEach(function (item) {
    lanesOf(item).forEach(function (name) {
      if (!byLane[name]) { byLane[name] = { name: name, entries: [], rows: [] }; lanes.push(byLane[name]); }
      byLane[name].entries.push({ item: item, lane: byLane[name] });
    });
  });
  lanes.sort(function (a, b) { return a.name.localeCompare(b.name); });
  var top = AXIS_H;
  lanes.forEach(function (lane) {
    lane.top = top;
    lane.entries.forEach(function (e) {
      var from = x0(day(e.item.start)), to = Math.max(x0(day(e.item.end)), from + MIN_W);
      var reach = to + 14 + CHAR_W * e.item.label.length;
      var row = lane.rows.findIndex(function (end) { return end < from; });
      if (row < 0) { row = lane.rows.length; lane.rows.push(0); }
      lane.rows[row] = reach;
      e.y = top + row * ROW_H + 4;
    });
    top += Math.max(lane.rows.length, 1) * ROW_H + 8;
  });
  var height = top + 4;

  var svg = d3.select(holder).append("svg")
    .attr("width", width).attr("height", height).attr("tabindex", 0)
    .attr("role", "group").attr("class", "tl-svg")
    .attr("aria-label", "Timeline of " + data.items.length + " events; the list below holds the same events");
  var defs = svg.append("defs");
  defs.append("clipPath").attr("id", "tl-clip").append("rect")
    .attr("x", 0).attr("y", 0).attr("width", plotW).attr("height", height);
  var hatch = defs.append("pattern").attr("id", "tl-hatch").attr("width", 6).attr("height", 6)
    .attr("patternUnits", "userSpaceOnUse").attr("patternTransform", "rotate(45)");
  hatch.append("rect").attr("width", 6).attr("height", 6).attr("fill", "#fff3df");
  hatch.append("line").attr("x1", 0).attr("y1", 0).attr("x2", 0).attr("y2", 6).attr("class", "tl-hatch-line");

  var laneG = svg.append("g").attr("class", "tl-lanes");
  lanes.forEach(function (lane, i) {
    var h = Math.max(lane.rows.length, 1) * ROW_H + 8;
    laneG.append("rect").attr("class", i % 2 ? "tl-lane odd" : "tl-lane")
      .attr("x", 0).attr("y", lane.top - 2).attr("width", width).attr("height", h);
    laneG.append("text").attr("class", "tl-lane-label").attr("x", 6).attr("y", lane.top + 15)
      .text(lane.name.length > 26 ? lane.name.slice(0, 25) + "…" : lane.name)
      .append("title").text(lane.name);
  });
  var plot = svg.append("g").attr("transform", "translate(" + LANE_W + ",0)");
  var axisG = plot.append("g").attr("class", "tl-axis").attr("transform", "translate(0," + (AXIS_H - 4) + ")");
  var body = plot.append("g").attr("clip-path", "url(#tl-clip)");
  var grid = body.append("g").attr("class", "tl-grid");
  var asOf = data.as_of ? body.append("g").attr("class", "tl-as-of") : null;
  if (asOf) {
    asOf.append("line").attr("y1", AXIS_H - 4).attr("y2", height);
    asOf.append("text").attr("y", height - 6).attr("dx", 4).text("as of " + data.as_of);
  }

  var entries = lanes.reduce(function (all, lane) { return all.concat(lane.entries); }, []);
  var marks = body.selectAll("a.tl-item").data(entries).enter().append("a")
    .attr("class", function (e) { return "tl-item " + e.item.group + " precision-" + e.item.precision +
      (e.item.id === data.focus ? " focused" : ""); })
    .attr("href", function (e) { return e.item.href; })
    .attr("data-id", function (e) { return e.item.id; })
    .attr("data-start", function (e) { return e.item.start; })
    .attr("aria-label", function (e) {
      return e.item.label + ", " + e.item.when + ", " + e.item.status + (data.as_of ? " as of " + data.as_of : "");
    });
  marks.append("title").text(function (e) { return e.item.label + " — " + e.item.when + " — " + e.item.status; });
  marks.filter(function (e) { return e.item.precision === "day"; }).append("path").attr("class", "tl-shape")
    .attr("d", "M0,-7L7,0L0,7L-7,0Z");
  marks.filter(function (e) { return e.item.precision !== "day"; }).append("rect").attr("class", "tl-shape")
    .attr("height", 14).attr("rx", 2);
  marks.filter(function (e) { return e.item.group === "cancelled"; }).append("line").attr("class", "tl-strike");
  marks.append("text").attr("class", "tl-label").attr("y", 11)
    .text(function (e) { return (GLYPH[e.item.group] || "?") + " " + e.item.label; });

  function draw() {
    axisG.call(d3.axisTop(x).ticks(Math.max(2, Math.floor(plotW / 90))));
    var ticks = x.ticks(Math.max(2, Math.floor(plotW / 90)));
    var lines = grid.selectAll("line").data(ticks);
    lines.enter().append("line").merge(lines)
      .attr("x1", function (d) { return x(d); }).attr("x2", function (d) { return x(d); })
      .attr("y1", AXIS_H - 4).attr("y2", height);
    lines.exit().remove();
    if (asOf) { asOf.attr("transform", "translate(" + x(day(data.as_of)) + ",0)"); }
    marks.attr("transform", function (e) {
      var from = x(day(e.item.start));
      if (e.item.precision === "day") { from = (from + x(day(e.item.end))) / 2; }
      return "translate(" + from + "," + e.y + ")";
    });
    marks.select("rect").attr("width", function (e) {
      return Math.max(x(day(e.item.end)) - x(day(e.item.start)), MIN_W);
    });
    marks.select("path").attr("transform", "translate(0,7)");
    marks.select("line.tl-strike").attr("x1", -2).attr("y1", 7).attr("y2", 7)
      .attr("x2", function (e) { return Math.max(x(day(e.item.end)) - x(day(e.item.start)), MIN_W) + 2; });
    marks.select("text").attr("x", function (e) {
      return e.item.precision === "day" ? 11 : Math.max(x(day(e.item.end)) - x(day(e.item.start)), MIN_W) + 5;
    });
  }

  var zoom = d3.zoom().scaleExtent([0.02, 400]).extent([[0, 0], [plotW, height]])
    .on("zoom", function (evt) { x = evt.transform.rescaleX(x0); draw(); });
  svg.call(zoom).on("dblclick.zoom", null);
  draw();

  function pan(direction) { zoom.translateBy(svg, -direction * plotW / 4 / d3.zoomTransform(svg.node()).k, 0); }
  d3.selectAll(".tl-controls button").on("click", function () {
    var z = this.getAttribute("data-zoom"), p = this.getAttribute("data-pan");
    if (z === "in") { zoom.scaleBy(svg, 1.6); }
    if (z === "out") { zoom.scaleBy(svg, 1 / 1.6); }
    if (z === "reset") { zoom.transform(svg, d3.zoomIdentity); }
    if (p) { pan(+p); }
  });
  svg.on("keydown", function (evt) {
    var keys = { "+": 1.6, "=": 1.6, "-": 1 / 1.6 };
    if (keys[evt.key]) { zoom.scaleBy(svg, keys[evt.key]); evt.preventDefault(); }
    if (evt.key === "ArrowLeft" || evt.key === "ArrowRight") {
      pan(evt.key === "ArrowLeft" ? -1 : 1); evt.preventDefault();
    }
  });
  // An event reached with Tab but outside the window is brought into view.
  marks.on("focus", function (evt, e) {
    var at = x(day(e.item.start));
    if (at < 0 || at > plotW) { zoom.translateBy(svg, (plotW / 3 - at) / d3.zoomTransform(svg.node()).k, 0); }
  });
  var focused = entries.filter(function (e) { return e.item.id === data.focus; })[0];
  if (focused) {
    var mid = (x0(day(focused.item.start)) + x0(day(focused.item.end))) / 2;
    zoom.translateTo(svg, mid, height / 2);
  }
  // For the browser tests: the current scale's date at a pixel, and the drawn marks.
  window.diplographTimeline = {
    dateAt: function (px) { return x.invert(px); },
    xOf: function (iso) { return x(day(iso)); },
    plotLeft: LANE_W,
    zoom: function (k) { zoom.scaleBy(svg, k); }
  };
}());
