// The editor's map view (a YASR plugin): rows with coordinates (?lat/?long columns, as
// dg:latitude/dg:longitude give them, or WKT points) drawn on Natural Earth outlines from
// world-atlas with d3-geo, all served by the app. The projection fits the points with a
// margin; each point is a link to its row's entity page, reached with Tab.
(function () {
  "use strict";
  var V = window.diplographViews;
  if (!V) { return; }
  var world = null;

  function MapView(yasr) { this.yasr = yasr; this.priority = 14; this.label = "Map"; }
  MapView.prototype.canHandleResults = function () {
    if (!V.hasRows(this.yasr)) { return false; }
    var cols = V.columns(this.yasr), where = V.coordinates(cols);
    return !!where && cols.rows.some(function (r) { return V.lonLat(r, where); });
  };
  MapView.prototype.getIcon = function () { return V.svgIcon("M8 15C8 15 3 9.5 3 6a5 5 0 0 1 10 0c0 3.5-5 9-5 9zM8 7.5a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z"); };
  MapView.prototype.draw = function () {
    var cols = V.columns(this.yasr), where = V.coordinates(cols);
    var fig = V.frame(this.yasr, "map", "");
    return V.load("map").then(function () {
      if (world) { return world; }
      return fetch(V.worldUrl()).then(function (r) { return r.json(); }).then(function (w) { world = w; return w; });
    }).then(function (w) { draw(fig, cols, where, w); }).catch(function (e) { V.failed(fig, e); });
  };

  function fitted(points, width, height) {
    // A box around the points at least 20 degrees across, so one city is not a whole map.
    var lons = points.map(function (p) { return p.at[0]; }), lats = points.map(function (p) { return p.at[1]; });
    var pad = function (lo, hi, min) { var grow = Math.max(0, min - (hi - lo)) / 2 + 4; return [lo - grow, hi + grow]; };
    var lon = pad(d3.min(lons), d3.max(lons), 20), lat = pad(d3.min(lats), d3.max(lats), 20);
    var box = { type: "MultiPoint", coordinates: [
      [Math.max(lon[0], -180), Math.max(lat[0], -85)], [Math.min(lon[1], 180), Math.min(lat[1], 85)],
      [Math.max(lon[0], -180), Math.min(lat[1], 85)], [Math.min(lon[1], 180), Math.max(lat[0], -85)]] };
    return d3.geoNaturalEarth1().fitExtent([[10, 10], [width - 10, height - 10]], box);
  }

  function draw(fig, cols, where, w) {
    var name = V.labelVar(cols, [where.lat, where.long, where.wkt]);
    var points = cols.rows.map(function (r, i) {
      var at = V.lonLat(r, where);
      return at && { row: r, at: at, text: name ? V.label(r[name]) : "row " + (i + 1) };
    }).filter(Boolean);
    var width = Math.max(fig.canvas.clientWidth || 0, 360), height = Math.round(width * 0.55);
    var projection = fitted(points, width, height), path = d3.geoPath(projection);
    var countries = topojson.feature(w, w.objects.countries).features;
    var where_ = where.wkt ? "the WKT points of " + where.wkt : where.lat + " and " + where.long;
    fig.caption.textContent = "Map of " + points.length + " row" + (points.length === 1 ? "" : "s") +
      " placed by " + where_ + (points.length < cols.rows.length ? " (" + (cols.rows.length - points.length) + " rows have no coordinates)" : "") + ".";
    var svg = d3.select(fig.canvas).append("svg").attr("viewBox", "0 0 " + width + " " + height)
      .attr("width", width).attr("height", height).attr("role", "group").attr("aria-label", fig.caption.textContent);
    svg.append("path").attr("class", "dg-map-sphere").attr("d", path({ type: "Sphere" }));
    svg.append("g").selectAll("path").data(countries).enter().append("path")
      .attr("class", "dg-map-country").attr("d", path);
    var items = [];
    points.forEach(function (p) {
      var xy = projection(p.at), href = V.rowHref(p.row, cols);
      var words = p.text + " (" + p.at[1].toFixed(3) + ", " + p.at[0].toFixed(3) + ")";
      var m = href ? svg.append("a").attr("href", href) : svg.append("g").attr("tabindex", 0).attr("role", "img");
      m.attr("class", "dg-mark").attr("aria-label", words).append("title").text(words);
      m.append("circle").attr("class", "dg-map-point").attr("cx", xy[0]).attr("cy", xy[1]).attr("r", 5);
      m.append("text").attr("class", "dg-map-label").attr("x", xy[0] + 8).attr("y", xy[1]).attr("dy", "0.35em")
        .text(p.text.length > 24 ? p.text.slice(0, 23) + "…" : p.text);
      items.push({ text: words, href: href });
    });
    V.textList(fig, "The map as text (latitude, longitude)", items);
  }

  V.register("map", MapView);
}());
